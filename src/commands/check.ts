import { startMock, type MockServer } from '../../mock/server.js';
import { newRunId, type RunPlan, type TargetConfig } from '../client/target.js';
import { protocolById, protocols } from '../protocols/index.js';
import { renderFailures, renderMatrix } from '../report/console.js';
import { makeResults, type TargetResults } from '../report/results.js';
import { writeReports } from '../report/write.js';
import { runSuites } from '../runner/run-suites.js';
import { CHECK_KINDS, verdictOf, type CheckKind } from '../spec/check.js';
import { isLevel, type Level } from '../spec/levels.js';
import { CliError, EXIT } from './cli-error.js';
import { givenFor } from './given.js';
import { VERSION } from './version.js';

export interface CheckOptions {
  readonly url?: string;
  readonly level?: string;
  readonly only?: string;
  readonly method?: string;
  readonly reports?: string;
  readonly bail?: boolean;
  readonly shard?: string;
  readonly timeout?: string;
  readonly fault?: readonly string[];
  readonly quiet?: boolean;
  readonly [flag: string]: unknown;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A target before the embedded mocks have started: those get their URL and credentials then. */
type WantedTarget = Omit<TargetConfig, 'url'> & { readonly url?: string };

/** Turn the command line into targets. */
export function resolveTargets(protocolArg: string | undefined, options: CheckOptions): WantedTarget[] {
  if (protocolArg === undefined) {
    if (options.url) throw new CliError('--url needs a protocol: accord check <protocol> --url URL');
    return Object.keys(protocols).map((id) => ({ name: id, protocol: id, given: {}, mock: true }));
  }
  if (!protocolById(protocolArg)) throw new CliError(`unknown protocol "${protocolArg}"; known: ${Object.keys(protocols).join(', ')}`);
  if (!options.url) return [{ name: protocolArg, protocol: protocolArg, given: {}, mock: true }];
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new CliError(`--url is not a URL: ${options.url}`);
  }
  return [{ name: protocolArg, protocol: protocolArg, url: url.toString().replace(/\/$/, ''), given: givenFor(protocolArg, options), mock: false }];
}

export async function runCheck(protocolArg: string | undefined, options: CheckOptions, out: (line: string) => void): Promise<number> {
  const gate = options.level ?? 'must';
  if (!isLevel(gate)) throw new CliError(`--level must be must, should or quirk, not "${gate}"`);
  const kinds = list(options.only);
  for (const k of kinds) if (!(CHECK_KINDS as readonly string[]).includes(k)) throw new CliError(`--only takes kinds of check (${CHECK_KINDS.join(', ')}), not "${k}"`);
  const timeoutMs = options.timeout === undefined ? 10_000 : Number(options.timeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new CliError(`--timeout must be a number of milliseconds, not "${options.timeout}"`);
  if (options.shard !== undefined && !/^\d+\/\d+$/.test(options.shard)) throw new CliError(`--shard takes i/n, e.g. 1/3, not "${options.shard}"`);

  const wanted = resolveTargets(protocolArg, options);
  const mocks: MockServer[] = [];
  try {
    const targets: TargetConfig[] = [];
    for (const t of wanted) {
      if (!t.mock && t.url !== undefined) {
        targets.push({ ...t, url: t.url });
        continue;
      }
      const embedded = protocolById(t.protocol)?.embeddedMock?.options ?? {};
      const mock = await startMock(t.protocol, { dialect: { ...embedded, faults: options.fault ?? [] } });
      mocks.push(mock);
      // A mock with several endpoints (nymea: TCP and WebSocket) is checked through each of them.
      for (const url of mock.urls) {
        const name = mock.urls.length > 1 ? `${t.name}-${new URL(url).protocol.replace(':', '')}` : t.name;
        targets.push({ ...t, name, url, given: { ...mock.dialect.given, control: mock.controlUrl } });
      }
    }
    const runId = newRunId();
    const plan: RunPlan = {
      runId,
      prefix: `accord_${runId}`,
      gate: gate as Level,
      targets,
      selection: { kinds: kinds as CheckKind[], methods: list(options.method) },
      timeoutMs,
    };
    const started = Date.now();
    for (const t of targets) out(`accord ${VERSION}: checking ${t.name} at ${t.url}${t.mock ? ' (embedded mock)' : ''}, gate ${plan.gate}, run ${runId}`);
    const { records, errors } = await runSuites(plan, {
      ...(options.bail ? { bail: 1 } : {}),
      ...(options.shard ? { shard: options.shard } : {}),
      onLog: (text) => out(text.trimEnd()),
    });
    if (errors.length > 0) for (const e of errors) out(`accord: ${e}`);
    const durationMs = Date.now() - started;

    let failed = false;
    let couldNotRun = errors.length > 0;
    for (const t of targets) {
      const protocol = protocolById(t.protocol)!;
      const mine = records.filter((r) => r.target === t.name);
      const results: TargetResults = makeResults({
        accord: VERSION,
        runId,
        target: t.name,
        protocol: t.protocol,
        title: protocol.title,
        reference: protocol.reference,
        url: t.url,
        mock: t.mock,
        gate: plan.gate,
        startedAt: new Date(started).toISOString(),
        durationMs,
        methods: protocol.methods.map((m) => m.name),
        records: mine,
      });
      const folder = writeReports(options.reports ?? 'reports', results);
      out('');
      out(renderMatrix(`${t.name}: ${protocol.title} at ${t.url}`, mine, plan.gate, results.methods));
      if (!options.quiet) {
        const failures = renderFailures(mine, plan.gate);
        if (failures) out(`\n${failures}`);
      }
      out(`reports: ${folder}/{junit.xml,results.json,report.html,summary.md}`);
      const worldBroken = mine.length > 0 && mine.every((r) => r.broken?.startsWith('could not build the world'));
      if (worldBroken) {
        couldNotRun = true;
        out(`accord: could not use ${t.name}: ${mine[0]?.broken}`);
      }
      if (mine.some((r) => ['failed', 'broken'].includes(verdictOf(r, plan.gate)))) failed = true;
    }
    return couldNotRun ? EXIT.couldNotRun : failed ? EXIT.nonconformant : EXIT.ok;
  } finally {
    await Promise.all(mocks.map((m) => m.close()));
  }
}
