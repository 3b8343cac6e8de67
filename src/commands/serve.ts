import { readFileSync } from 'node:fs';
import { startMock } from '../../mock/server.js';
import { DialectOptionError } from '../../mock/dialect.js';
import { UnknownFaultError } from '../../mock/faults/index.js';
import { protocolById, protocols } from '../protocols/index.js';
import { CliError } from './cli-error.js';
import { allGivenOptions, parseUserPass } from './given.js';

export interface ServeOptions {
  readonly port?: string;
  /** Stream protocols: the TCP port (the same as --port). */
  readonly tcpPort?: string;
  /** Stream protocols: the WebSocket port. */
  readonly wsPort?: string;
  /** Stream protocols: the port of the control endpoint (/__accord/state, /__accord/control/<action>). */
  readonly controlPort?: string;
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

function portOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--${flag} must be a port number, not "${value}"`);
  return port;
}

/** `accord serve <protocol>`: the stateful mock on 127.0.0.1 until Ctrl-C. */
export async function runServe(protocol: string, options: ServeOptions, out: (line: string) => void): Promise<() => Promise<void>> {
  if (!protocolById(protocol)) throw new CliError(`unknown protocol "${protocol}"; known: ${Object.keys(protocols).join(', ')}`);
  if (options.port !== undefined && options.tcpPort !== undefined && options.port !== options.tcpPort) throw new CliError('--port and --tcp-port name the same port; give one of them');
  const port = portOption('port', options.port ?? options.tcpPort) ?? 0;
  const wsPort = portOption('ws-port', options.wsPort);
  const controlPort = portOption('control-port', options.controlPort);
  if (options.mode !== undefined && options.mode !== 'stateful' && options.mode !== 'replay') throw new CliError(`--mode is stateful or replay, not "${options.mode}"`);
  const maxBody = options.maxBody === undefined ? undefined : Number(options.maxBody);
  if (maxBody !== undefined && (!Number.isInteger(maxBody) || maxBody <= 0)) throw new CliError(`--max-body must be a number of bytes, not "${options.maxBody}"`);
  const dialect: Record<string, unknown> = { faults: options.fault ?? [], mode: options.mode ?? 'stateful' };
  if (options.seed) dialect['seed'] = readSeed(options.seed);
  for (const o of allGivenOptions()) {
    const value = options[o.key];
    if (value !== undefined) dialect[o.key] = o.kind === 'user-pass' ? parseUserPass(o.flag, String(value)) : value;
  }
  let mock;
  try {
    mock = await startMock(protocol, {
      port,
      ...(wsPort !== undefined ? { wsPort } : {}),
      ...(controlPort !== undefined ? { controlPort } : {}),
      dialect,
      ...(maxBody ? { maxBodyBytes: maxBody } : {}),
      log: (line) => out(line),
    });
  } catch (error) {
    if (error instanceof UnknownFaultError) throw new CliError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`a port is already in use on 127.0.0.1 (${[port, wsPort, controlPort].filter((p) => p).join(', ')})`);
    if (code === 'EACCES') throw new CliError(`not allowed to listen on port ${port}`);
    if (error instanceof DialectOptionError) throw new CliError(error.message);
    throw error;
  }
  out(`accord serve ${protocol}: ${protocolById(protocol)!.title} mock listening on ${mock.urls.join(' and ')}`);
  if (mock.controlUrl !== mock.url) out(`  control       ${mock.controlUrl}/__accord/state, POST ${mock.controlUrl}/__accord/control/<action>`);
  for (const line of mock.dialect.banner()) out(`  ${line}`);
  if ((options.fault ?? []).length > 0) out(`  faults on     ${(options.fault ?? []).join(', ')}`);
  out('  Ctrl-C stops it.');
  return () => mock.close();
}
