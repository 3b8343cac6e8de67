import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { MockServer } from '../../mock/server.js';
import { CliError } from './cli-error.js';

/**
 * `accord serve --state FILE`: the mock's state survives a restart. Read at start when the file exists
 * (it is a seed: GET /__accord/state's form); written whenever the state changed, checked twice a second
 * and once more at stop, atomically (a temporary file renamed over it), so a crash never leaves half a file.
 */
export function readStateFile(file: string): unknown {
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read the state file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `the state file ${file} is not JSON: ${(error as Error).message} (remove it to start from the seed)`,
    );
  }
}

const EVERY_MS = 500;

/** Keep writing the mock's state to the file; the returned function writes a last time and stops. */
export function keepState(mock: MockServer, file: string, log: (line: string) => void): () => void {
  let written = '';
  const save = () => {
    const text = `${JSON.stringify(mock.dialect.snapshot(), null, 2)}\n`;
    if (text === written) return;
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, text);
      renameSync(temporary, file);
      written = text;
    } catch (error) {
      log(`cannot write the state file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  };
  save();
  const timer = setInterval(save, EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    save();
  };
}
