import { readFileSync } from 'node:fs';
import { startMock, type MockServer } from '../../mock/server.js';
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
  /** Independent mocks on consecutive ports, each with its own state and credentials. */
  readonly instances?: string;
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
  const instances = options.instances === undefined ? 1 : Number(options.instances);
  if (!Number.isInteger(instances) || instances < 1 || instances > 64) throw new CliError(`--instances must be a number from 1 to 64, not "${options.instances}"`);
  const dialect: Record<string, unknown> = { faults: options.fault ?? [], mode: options.mode ?? 'stateful' };
  if (options.mode === 'replay') {
    dialect['fixtures'] = readFixtures(FIXTURES_ROOT, protocol);
    if ((dialect['fixtures'] as unknown[]).length === 0) throw new CliError(`no fixtures for ${protocol} in ${FIXTURES_ROOT}: run accord fixtures ${protocol}`);
  }
  if (options.seed) dialect['seed'] = readSeed(options.seed);
  for (const o of allGivenOptions()) if (options[o.key] !== undefined) dialect[o.key] = options[o.key];
  const mocks: MockServer[] = [];
  const stopAll = () => Promise.all(mocks.map((m) => m.close())).then(() => undefined);
  try {
    for (let i = 0; i < instances; i++) {
      // Consecutive ports: from --port, or from wherever the first instance landed.
      const at = i === 0 ? port : (port === 0 ? portOf(mocks[0]!.url) : port) + i;
      const mock = await startOne(protocol, at, dialect, maxBody, out);
      mocks.push(mock);
      const title = protocolById(protocol)!.title;
      out(instances === 1 ? `accord serve ${protocol}: ${title} mock listening on ${mock.url}` : `accord serve ${protocol}: instance ${i + 1} of ${instances}, ${title} mock listening on ${mock.url}`);
      for (const line of mock.dialect.banner()) out(`  ${line}`);
      out(`  control       ${mock.controlUrl} (GET /__accord/state, /__accord/given, /__accord/memory; POST /__accord/control/<action>)`);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  if ((options.fault ?? []).length > 0) out(`  faults on     ${(options.fault ?? []).join(', ')}`);
  if (instances > 1) out(`  ${instances} instances, each with its own state${allGivenOptions().some((o) => options[o.key] !== undefined) ? ' (the credentials given apply to each)' : ' and credentials'}`);
  out('  Ctrl-C stops it.');
  return stopAll;
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

async function startOne(protocol: string, port: number, dialect: Record<string, unknown>, maxBody: number | undefined, out: (line: string) => void): Promise<MockServer> {
  try {
    return await startMock(protocol, { port, dialect, ...(maxBody ? { maxBodyBytes: maxBody } : {}), log: (line) => out(line) });
  } catch (error) {
    if (error instanceof UnknownFaultError) throw new CliError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${port} is already in use on 127.0.0.1`);
    if (code === 'EACCES') throw new CliError(`not allowed to listen on port ${port}`);
    throw error;
  }
}
