import { readFileSync } from 'node:fs';
import { journalLine } from '../../mock/journal.js';
import type { MockServer } from '../../mock/server.js';
import { faultsOf } from '../../mock/faults/index.js';
import { takesOption } from '../../mock/dialects/index.js';
import { protocolById, protocols } from '../protocols/index.js';
import { readFixtures } from '../fixtures/files.js';
import { CliError } from './cli-error.js';
import { startMockForCli } from './start-mock.js';
import { keepState, readStateFile } from './state-file.js';
import { FIXTURES_ROOT } from './version.js';
import { allGivenOptions, parseUserPass } from './given.js';
import { givenVariant } from '../spec/variant.js';

export interface ServeOptions {
  readonly port?: string;
  /** Stream protocols: the TCP port (the same as --port). */
  readonly tcpPort?: string;
  /** Stream protocols: the WebSocket port. */
  readonly wsPort?: string;
  /** Stream protocols: the port of the control endpoint (/__accord/state, /__accord/control/<action>). */
  readonly controlPort?: string;
  readonly seed?: string;
  /** Keep the state in this file across restarts. */
  readonly state?: string;
  readonly mode?: string;
  readonly fault?: readonly string[];
  readonly maxBody?: string;
  /** Independent mocks on consecutive ports, each with its own state and credentials. */
  readonly instances?: string;
  /** Answer as this variant does (src/spec/variant.ts). */
  readonly variant?: string;
  /** The address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Answer cross-origin requests as the real server does with its CORS setting on (OctoPrint: api.allowCrossOrigin). */
  readonly cors?: boolean;
  /** No journal line per request (diagnostics are still printed). */
  readonly quiet?: boolean;
  readonly [flag: string]: unknown;
}

function readSeed(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read the seed file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
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
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--${flag} must be a port number, not "${value}"`);
  return port;
}

/** `accord serve <protocol> --faults`: each named fault and what it breaks. */
export function listFaults(protocol: string, out: (line: string) => void): void {
  if (!protocolById(protocol))
    throw new CliError(`unknown protocol "${protocol}"; known: ${Object.keys(protocols).join(', ')}`);
  const faults = faultsOf(protocol);
  if (faults.length === 0) {
    out(`the ${protocol} mock has no named faults`);
    return;
  }
  out(`faults of the ${protocol} mock (accord serve ${protocol} --fault NAME; repeatable):`);
  const width = Math.max(...faults.map((f) => f.name.length));
  for (const f of faults) out(`  ${f.name.padEnd(width)}  ${f.says}`);
}

/** `accord serve <protocol>`: the stateful mock on 127.0.0.1 (or --host) until Ctrl-C. */
export async function runServe(
  protocol: string,
  options: ServeOptions,
  out: (line: string) => void,
): Promise<() => Promise<void>> {
  if (!protocolById(protocol))
    throw new CliError(`unknown protocol "${protocol}"; known: ${Object.keys(protocols).join(', ')}`);
  if (options.port !== undefined && options.tcpPort !== undefined && options.port !== options.tcpPort)
    throw new CliError('--port and --tcp-port name the same port; give one of them');
  const port = portOption('port', options.port ?? options.tcpPort) ?? 0;
  const wsPort = portOption('ws-port', options.wsPort);
  const controlPort = portOption('control-port', options.controlPort);
  if (options.mode !== undefined && options.mode !== 'stateful' && options.mode !== 'replay')
    throw new CliError(`--mode is stateful or replay, not "${options.mode}"`);
  const maxBody = options.maxBody === undefined ? undefined : Number(options.maxBody);
  if (maxBody !== undefined && (!Number.isInteger(maxBody) || maxBody <= 0))
    throw new CliError(`--max-body must be a number of bytes, not "${options.maxBody}"`);
  const instances = options.instances === undefined ? 1 : Number(options.instances);
  if (!Number.isInteger(instances) || instances < 1 || instances > 64)
    throw new CliError(`--instances must be a number from 1 to 64, not "${options.instances}"`);
  const dialect: Record<string, unknown> = { faults: options.fault ?? [], mode: options.mode ?? 'stateful' };
  if (options.mode === 'replay') {
    dialect['fixtures'] = readFixtures(FIXTURES_ROOT, protocol);
    if ((dialect['fixtures'] as unknown[]).length === 0)
      throw new CliError(`no fixtures for ${protocol} in ${FIXTURES_ROOT}: run accord fixtures ${protocol}`);
  }
  if (options.state !== undefined && instances > 1)
    throw new CliError('--state keeps the state of one mock; leave out --instances');
  if (options.state !== undefined && options.mode === 'replay')
    throw new CliError('--state keeps a state, and --mode replay keeps none; give one of them');
  const saved = options.state === undefined ? undefined : readStateFile(options.state);
  if (saved !== undefined) dialect['seed'] = saved;
  else if (options.seed) dialect['seed'] = readSeed(options.seed);
  if (options.variant !== undefined) dialect['variant'] = servedVariant(protocol, options.variant);
  if (options.cors) {
    if (!takesOption(protocol, 'cors'))
      throw new CliError(
        `--cors: ${protocol} has no CORS setting; like the real server, the mock sends no CORS headers (see the README)`,
      );
    dialect['cors'] = true;
  }
  for (const o of allGivenOptions('serve')) {
    const value = options[o.key];
    if (value !== undefined) dialect[o.key] = o.kind === 'user-pass' ? parseUserPass(o.flag, String(value)) : value;
  }
  const ports = { port, wsPort, controlPort };
  const host = options.host ?? '127.0.0.1';
  // With the journal on, a request's diagnostics come in its journal line, not on lines of their own.
  const log = options.quiet ? out : (line: string) => void (line.startsWith('diagnostic: ') || out(line));
  const mocks: MockServer[] = [];
  const stopSaving: (() => void)[] = [];
  const stopAll = () => {
    for (const stop of stopSaving) stop();
    return Promise.all(mocks.map((m) => m.close())).then(() => undefined);
  };
  try {
    for (let i = 0; i < instances; i++) {
      const mock = await startOne(
        protocol,
        i === 0 ? ports : nextPorts(ports, mocks[0]!, i),
        host,
        dialect,
        maxBody,
        log,
      );
      mocks.push(mock);
      const tag = instances === 1 ? '' : `[${i + 1}] `;
      if (!options.quiet) mock.journal.onEntry((entry) => out(`${tag}${journalLine(entry)}`));
      const title = protocolById(protocol)!.title;
      const where = mock.urls.join(' and ');
      out(
        instances === 1
          ? `accord serve ${protocol}: ${title} mock listening on ${where}`
          : `accord serve ${protocol}: instance ${i + 1} of ${instances}, ${title} mock listening on ${where}`,
      );
      for (const line of mock.dialect.banner()) out(`  ${line}`);
      out(
        `  control       ${mock.controlUrl} (GET /__accord/state, /__accord/given, /__accord/journal, /__accord/memory; POST /__accord/control/reset)`,
      );
      out(`  watch it      ${mock.controlUrl}/__accord/ (the state and every request, live)`);
      if (options.state !== undefined) {
        stopSaving.push(keepState(mock, options.state, out));
        out(
          `  state file    ${options.state} (${saved === undefined ? 'new: started from the seed' : 'read: the state of the last run'}; kept up to date)`,
        );
      }
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  if ((options.fault ?? []).length > 0) out(`  faults on     ${(options.fault ?? []).join(', ')}`);
  if (instances > 1)
    out(
      `  ${instances} instances, each with its own state${allGivenOptions('serve').some((o) => options[o.key] !== undefined) ? ' (the credentials given apply to each)' : ' and credentials'}`,
    );
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1')
    out(`  reachable     from other machines on ${host}: anyone who can reach it can use the credentials above`);
  out(`  ${options.quiet ? '' : 'one line per request below (--quiet: diagnostics only); '}Ctrl-C stops it.`);
  return stopAll;
}

/** A --variant the protocol declares, or a user mistake. */
function servedVariant(protocol: string, variant: string): string {
  const choice = givenVariant(protocolById(protocol)?.variants, protocol, variant);
  if (typeof choice === 'string') throw new CliError(choice);
  return choice.id;
}

interface Ports {
  readonly port: number;
  readonly wsPort: number | undefined;
  readonly controlPort: number | undefined;
}

/** Instance i listens on consecutive ports: from the ports asked for, or from wherever the first instance landed. */
function nextPorts(asked: Ports, first: MockServer, i: number): Ports {
  const portOf = (url: string) => Number(new URL(url).port);
  const [mainUrl, wsUrl] = first.urls;
  return {
    port: (asked.port === 0 ? portOf(mainUrl!) : asked.port) + i,
    wsPort: wsUrl === undefined ? undefined : (asked.wsPort ?? portOf(wsUrl)) + i,
    controlPort: first.controlUrl === first.url ? undefined : (asked.controlPort ?? portOf(first.controlUrl)) + i,
  };
}

function startOne(
  protocol: string,
  ports: Ports,
  host: string,
  dialect: Record<string, unknown>,
  maxBody: number | undefined,
  out: (line: string) => void,
): Promise<MockServer> {
  return startMockForCli(protocol, {
    host,
    port: ports.port,
    ...(ports.wsPort !== undefined ? { wsPort: ports.wsPort } : {}),
    ...(ports.controlPort !== undefined ? { controlPort: ports.controlPort } : {}),
    dialect,
    ...(maxBody ? { maxBodyBytes: maxBody } : {}),
    log: (line) => out(line),
  });
}
