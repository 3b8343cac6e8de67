import { readFileSync } from 'node:fs';
import { startMock } from '../../mock/server.js';
import { UnknownFaultError } from '../../mock/faults/index.js';
import { protocolById, protocols } from '../protocols/index.js';
import { readFixtures } from '../fixtures/files.js';
import { CliError } from './cli-error.js';
import { FIXTURES_ROOT } from './version.js';
import { allGivenOptions } from './given.js';

export interface ServeOptions {
  readonly port?: string;
  readonly seed?: string;
  readonly mode?: string;
  readonly fault?: readonly string[];
  readonly maxBody?: string;
  readonly [flag: string]: unknown;
}

function readSeed(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the seed file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`the seed file ${file} is not JSON: ${(error as Error).message}`);
  }
}

/** `accord serve <protocol>`: the stateful mock on 127.0.0.1 until Ctrl-C. */
export async function runServe(protocol: string, options: ServeOptions, out: (line: string) => void): Promise<() => Promise<void>> {
  if (!protocolById(protocol)) throw new CliError(`unknown protocol "${protocol}"; known: ${Object.keys(protocols).join(', ')}`);
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a port number, not "${options.port}"`);
  if (options.mode !== undefined && options.mode !== 'stateful' && options.mode !== 'replay') throw new CliError(`--mode is stateful or replay, not "${options.mode}"`);
  const maxBody = options.maxBody === undefined ? undefined : Number(options.maxBody);
  if (maxBody !== undefined && (!Number.isInteger(maxBody) || maxBody <= 0)) throw new CliError(`--max-body must be a number of bytes, not "${options.maxBody}"`);
  const dialect: Record<string, unknown> = { faults: options.fault ?? [], mode: options.mode ?? 'stateful' };
  if (options.mode === 'replay') {
    dialect['fixtures'] = readFixtures(FIXTURES_ROOT, protocol);
    if ((dialect['fixtures'] as unknown[]).length === 0) throw new CliError(`no fixtures for ${protocol} in ${FIXTURES_ROOT}: run accord fixtures ${protocol}`);
  }
  if (options.seed) dialect['seed'] = readSeed(options.seed);
  for (const o of allGivenOptions()) if (options[o.key] !== undefined) dialect[o.key] = options[o.key];
  let mock;
  try {
    mock = await startMock(protocol, { port, dialect, ...(maxBody ? { maxBodyBytes: maxBody } : {}), log: (line) => out(line) });
  } catch (error) {
    if (error instanceof UnknownFaultError) throw new CliError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${port} is already in use on 127.0.0.1`);
    if (code === 'EACCES') throw new CliError(`not allowed to listen on port ${port}`);
    throw error;
  }
  out(`accord serve ${protocol}: ${protocolById(protocol)!.title} mock listening on ${mock.url}`);
  for (const line of mock.dialect.banner()) out(`  ${line}`);
  out(`  control       ${mock.controlUrl} (GET /__accord/state, /__accord/given, /__accord/memory; POST /__accord/control/<action>)`);
  if ((options.fault ?? []).length > 0) out(`  faults on     ${(options.fault ?? []).join(', ')}`);
  out('  Ctrl-C stops it.');
  return () => mock.close();
}
