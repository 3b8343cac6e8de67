import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMock, type MockServer } from '../../mock/server.js';
import { startMockForCli } from './start-mock.js';
import { cleanup } from '../runner/cleanup.js';
import { endpointOf } from '../client/endpoint-url.js';
import { newRunId, type RunPlan, type TargetConfig } from '../client/target.js';
import { checkedMockDialect, protocolById, protocols } from '../protocols/index.js';
import { renderFailures, renderMatrix } from '../report/console.js';
import { compare, describeComparison, loadPrevious } from '../report/compare.js';
import { makeResults, type TargetResults } from '../report/results.js';
import { writeReports } from '../report/write.js';
import { redactRecord } from '../report/redact-records.js';
import { redactError, redactorFor, redactorForTargets, weakSecretNotice } from '../report/redact.js';
import { runChecks } from '../runner/run-checks.js';
import { formatShard, parseShard } from '../runner/shard.js';
import { verdictOf, type CheckKind, type CheckRecord } from '../spec/check.js';
import { isLevel, type Level } from '../spec/levels.js';
import { preflight } from '../runner/preflight.js';
import { describeVariant } from '../spec/variant.js';
import { askedVariant, checkAskedVariant, withVariants } from './variant-option.js';
import { CliError, CouldNotRun, EXIT } from './cli-error.js';
import { findConfig, loadConfig } from './config.js';
import { givenFor } from './given.js';
import { baseUrlOf } from './target-url.js';
import { validateSelection } from './validate-selection.js';
import { VERSION } from './version.js';

export interface CheckOptions {
  readonly url?: string;
  readonly level?: string;
  readonly only?: string;
  readonly method?: string;
  readonly reports?: string;
  readonly bail?: boolean;
  readonly shard?: string;
  readonly concurrency?: string;
  readonly timeout?: string;
  readonly deadline?: string;
  readonly dryRun?: boolean;
  readonly config?: string;
  readonly target?: string;
  readonly compare?: string;
  readonly fuzz?: string;
  readonly fuzzSeed?: string;
  readonly fault?: readonly string[];
  readonly quiet?: boolean;
  /** Which variant of the system the target is (src/spec/variant.ts); absent: detected. */
  readonly variant?: string;
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
  const url = baseUrlOf(protocolArg, options.url, '--url');
  return [{ name: protocolArg, protocol: protocolArg, url, given: givenFor(protocolArg, options), mock: false }];
}

export async function runCheck(protocolArg: string | undefined, cliOptions: CheckOptions, print: (line: string) => void): Promise<number> {
  // Until the targets are known there is nothing to redact; after, every line goes through it.
  let out = print;
  // With no protocol: the targets of accord.config.json (or --config), else every embedded mock.
  const configFile = protocolArg === undefined ? findConfig(cliOptions.config) : undefined;
  if (cliOptions.config && protocolArg !== undefined) throw new CliError('--config checks the targets of the file: leave out the protocol');
  const config = configFile ? loadConfig(configFile) : undefined;
  const options: CheckOptions = {
    ...(config?.level ? { level: config.level } : {}),
    ...(config?.reports ? { reports: config.reports } : {}),
    ...(config?.timeout ? { timeout: String(config.timeout) } : {}),
    ...(config?.concurrency ? { concurrency: String(config.concurrency) } : {}),
    ...cliOptions,
  };
  const gate = options.level ?? 'must';
  if (!isLevel(gate)) throw new CliError(`--level must be must, should or quirk, not "${gate}"`);
  const kinds = list(options.only);
  const deadlineMs = options.deadline === undefined ? undefined : Number(options.deadline) * 1000;
  if (deadlineMs !== undefined && (!Number.isFinite(deadlineMs) || deadlineMs <= 0)) throw new CliError(`--deadline must be a number of seconds, not "${options.deadline}"`);
  const timeoutMs = options.timeout === undefined ? 10_000 : Number(options.timeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new CliError(`--timeout must be a number of milliseconds, not "${options.timeout}"`);
  const concurrency = options.concurrency === undefined ? undefined : Number(options.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new CliError(`--concurrency takes a number of suites at once per server (1 or more), not "${options.concurrency}"`);
  }
  const fuzz = { runs: Number(options.fuzz ?? 20), seed: Number(options.fuzzSeed ?? 1) };
  if (!Number.isInteger(fuzz.runs) || fuzz.runs < 1) throw new CliError(`--fuzz takes a number of garbage calls per method, not "${options.fuzz}"`);
  if (!Number.isInteger(fuzz.seed)) throw new CliError(`--fuzz-seed takes an integer, not "${options.fuzzSeed}"`);

  let wanted = config ? [...config.targets] : resolveTargets(protocolArg, options);
  if (options.target) {
    const names = list(options.target);
    for (const n of names) if (!wanted.some((t) => t.name === n)) throw new CliError(`--target ${n}: no such target${config ? ` in ${config.file}` : ''}; targets: ${wanted.map((t) => t.name).join(', ')}`);
    wanted = wanted.filter((t) => names.includes(t.name));
  }
  validateSelection({ kinds, methods: list(options.method), shard: options.shard }, wanted.map((t) => t.protocol));
  const redact = redactorForTargets(wanted);
  out = (line) => print(redact(line));
  const weak = weakSecretNotice(wanted);
  if (weak) out(weak);
  // validateSelection has refused a malformed --shard: this parses a valid one.
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  for (const t of wanted) checkAskedVariant(t, options.variant);
  if (config) out(`accord: ${wanted.length} targets from ${config.file}`);
  if (options.dryRun) {
    const selection = { gate: gate as Level, kinds: kinds as CheckKind[], methods: list(options.method), timeoutMs };
    return dryRun(wanted, selection, out).catch((e: unknown) => Promise.reject(redactError(e, redact)));
  }
  const mocks: MockServer[] = [];
  try {
    const targets: TargetConfig[] = [];
    for (const t of wanted) {
      if (!t.mock && t.url !== undefined) {
        targets.push({ ...t, url: t.url });
        continue;
      }
      const variant = askedVariant(t, options.variant)?.id;
      const mockOptions = { faults: options.fault ?? [], ...t.given, ...(variant !== undefined ? { variant } : {}) };
      const mock = await startMockForCli(t.protocol, { dialect: checkedMockDialect(t.protocol, mockOptions) });
      mocks.push(mock);
      // A mock with several endpoints (nymea: TCP and WebSocket) is checked through each of them.
      for (const url of mock.urls) {
        const name = mock.urls.length > 1 ? `${t.name}-${new URL(url).protocol.replace(':', '')}` : t.name;
        targets.push({ ...t, name, url, given: { ...mock.dialect.given, control: mock.controlUrl }, givenByUser: t.given, server: t.name });
      }
    }
    const runId = newRunId();
    let plan: RunPlan = {
      runId,
      prefix: `accord_${runId}`,
      gate: gate as Level,
      targets,
      selection: { kinds: kinds as CheckKind[], methods: list(options.method) },
      timeoutMs,
      ledger: join(tmpdir(), `accord-ledger-${runId}.jsonl`),
      fuzz,
    };
    // Rights failures pre-flight already saw are checks of the run (once, in the first shard).
    const preflightFindings: CheckRecord[] = [];
    const keepsFinding = (r: CheckRecord) =>
      (plan.selection.kinds.length === 0 || plan.selection.kinds.includes(r.kind)) &&
      (plan.selection.methods.length === 0 || plan.selection.methods.includes(r.method ?? '')) &&
      (options.shard === undefined || options.shard.startsWith('1/'));
    for (const t of targets) {
      // Pre-flight's probes wait 4 s unless --timeout says otherwise.
      const verdict = await preflight(plan, t, options.timeout === undefined ? undefined : timeoutMs);
      if (!verdict.ok) throw new CouldNotRun(verdict.reason);
      preflightFindings.push(...verdict.findings.filter(keepsFinding));
    }
    plan = { ...plan, targets: await withVariants(plan, wanted, options.variant) };
    targets.splice(0, targets.length, ...plan.targets);
    const started = Date.now();
    for (const t of targets) {
      const endpoint = endpointOf(t.url, protocolById(t.protocol)!.endpoint);
      out(`accord ${VERSION}: checking ${t.name} at ${endpoint}${t.mock ? ' (embedded mock)' : ''}, gate ${plan.gate}, run ${runId}`);
      if (t.variant) out(`  variant ${describeVariant(t.variant, protocolById(t.protocol)?.variants)}`);
    }
    // Ctrl-C, SIGTERM or the deadline stop the checks; what the run created is removed all the same.
    const abort = new AbortController();
    const stop = (why: string) => () => {
      if (abort.signal.aborted) process.exit(EXIT.couldNotRun);
      out(`\naccord: ${why}: stopping the checks and removing what this run created (Ctrl-C again to quit at once)`);
      abort.abort(why);
    };
    const onInt = stop('interrupted');
    const onTerm = stop('terminated');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const deadline = deadlineMs === undefined ? undefined : setTimeout(stop(`the ${deadlineMs / 1000} s deadline passed`), deadlineMs);
    let checkRun;
    let done = 0;
    try {
      checkRun = await runChecks(plan, {
        ...(options.bail ? { bail: 1 } : {}),
        ...(shard ? { shard } : {}),
        ...(concurrency ? { concurrency } : {}),
        onLog: (text) => out(text.trimEnd()),
        onCheck: () => {
          done += 1;
          if (done % 100 === 0) out(`  … ${done} checks done`);
        },
        signal: abort.signal,
      });
    } finally {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      if (deadline) clearTimeout(deadline);
    }
    const records = [...preflightFindings, ...checkRun.records];
    const { errors } = checkRun;
    if (errors.length > 0 && !abort.signal.aborted) for (const e of errors) out(`accord: ${e}`);
    // Insurance for live targets: anything carrying this run's prefix that teardown missed goes now.
    for (const t of targets.filter((x) => !x.mock)) {
      const swept = await cleanup(plan, t, { prefix: `${plan.prefix}_` });
      if (swept.removed.length > 0) out(`accord: ${t.name}: removed ${swept.removed.length} objects this run ${abort.signal.aborted ? 'had created before it stopped' : 'made that its teardown missed'}`);
      for (const p of swept.problems) out(`accord: ${t.name}: ${p} — run \`accord clean ${t.protocol} --url ${t.url} ...\` when it answers again`);
    }
    rmSync(plan.ledger!, { force: true });
    const durationMs = Date.now() - started;

    let failed = false;
    let couldNotRun = errors.length > 0;
    for (const t of targets) {
      const protocol = protocolById(t.protocol)!;
      const redactTarget = redactorFor(t);
      const mine = records.filter((r) => r.target === t.name).map((r) => redactRecord(r, redactTarget));
      // No check at all (one shard of a run may legitimately hold none): keep the last real run's reports.
      if (mine.length === 0 && options.shard === undefined) {
        couldNotRun = true;
        out(`accord: ${t.name}: no check ran, so this is no verdict; the reports of ${t.name} were left as they were`);
        continue;
      }
      const previous = options.compare ? loadPrevious(options.compare, t.name) : undefined;
      if (options.compare && !previous) out(`accord: --compare ${options.compare} has no earlier results for ${t.name}`);
      const comparison = previous ? compare(previous, mine, plan.gate) : undefined;
      const results: TargetResults = makeResults({
        ...(comparison ? { comparison } : {}),
        accord: VERSION,
        runId,
        ...(shard ? { shard: formatShard(shard) } : {}),
        target: t.name,
        protocol: t.protocol,
        title: protocol.title,
        reference: protocol.reference,
        url: redactTarget(t.url),
        mock: t.mock,
        ...(t.variant ? { variant: t.variant } : {}),
        gate: plan.gate,
        startedAt: new Date(started).toISOString(),
        durationMs,
        methods: protocol.methods.map((m) => m.name),
        records: mine,
      });
      const folder = writeReports(options.reports ?? 'reports', results);
      out('');
      out(renderMatrix(`${t.name}: ${protocol.title} at ${endpointOf(t.url, protocol.endpoint)}`, mine, plan.gate, results.methods));
      if (!options.quiet) {
        const failures = renderFailures(mine, plan.gate);
        if (failures) out(`\n${failures}`);
      }
      if (comparison) out(describeComparison(t.name, comparison));
      out(`reports: ${folder}/{junit.xml,results.json,report.html,summary.md}`);
      // Most checks could not run (the target went away, credentials stopped working): not a verdict.
      const ran = mine.filter((r) => r.skipped === undefined);
      const broken = ran.filter((r) => r.broken !== undefined);
      if (!abort.signal.aborted && (ran.length === 0 || broken.length * 2 > ran.length)) {
        couldNotRun = true;
        out(`accord: ${t.name}: ${broken.length} of ${ran.length} checks could not run, so this is no conformance verdict; first: ${broken[0]?.broken ?? 'no checks ran'}`);
      }
      if (mine.some((r) => ['failed', 'broken'].includes(verdictOf(r, plan.gate)))) failed = true;
    }
    if (abort.signal.aborted) {
      out(`accord: the run was stopped (${String(abort.signal.reason)}): the results above are partial, so this is no conformance verdict`);
      return EXIT.couldNotRun;
    }
    return couldNotRun ? EXIT.couldNotRun : failed ? EXIT.nonconformant : EXIT.ok;
  } catch (error) {
    throw redactError(error, redact);
  } finally {
    await Promise.all(mocks.map((m) => m.close()));
  }
}

/**
 * `--dry-run`: the calls a run would make, without contacting the target. The suites run against an
 * embedded mock of the same protocol standing in for it, and every call they make is printed (as which
 * identity, which method, which parameters); on the real server ids and generated names will differ.
 */
async function dryRun(
  wanted: readonly WantedTarget[],
  selection: { gate: Level; kinds: CheckKind[]; methods: string[]; timeoutMs: number },
  out: (line: string) => void,
): Promise<number> {
  const mocks: MockServer[] = [];
  const runId = newRunId();
  const callLog = join(tmpdir(), `accord-calls-${runId}.jsonl`);
  try {
    const targets: TargetConfig[] = [];
    for (const t of wanted) {
      const mock = await startMock(t.protocol, { dialect: checkedMockDialect(t.protocol) });
      mocks.push(mock);
      targets.push({ ...t, url: mock.url, given: { ...mock.dialect.given, control: mock.controlUrl }, mock: true });
    }
    const plan: RunPlan = { runId, prefix: `accord_${runId}`, gate: selection.gate, targets, selection: { kinds: selection.kinds, methods: selection.methods }, timeoutMs: selection.timeoutMs, callLog };
    await runChecks(plan);
    const calls = existsSync(callLog) ? readFileSync(callLog, 'utf8').split('\n').filter((l) => l !== '') : [];
    for (const t of wanted) {
      out(`dry run: the calls \`accord check ${t.protocol}\` would make on ${t.url ?? 'the embedded mock'} (worked out against a stand-in mock: ids and generated names will differ)`);
      for (const line of calls) {
        const call = JSON.parse(line) as { target: string; as: string; method: string; params: unknown };
        if (call.target === t.name) out(`  as ${call.as}: ${call.method} ${JSON.stringify(call.params) ?? ''}`);
      }
    }
    out(`${calls.length} calls; nothing was sent to any target`);
    return EXIT.ok;
  } finally {
    rmSync(callLog, { force: true });
    await Promise.all(mocks.map((m) => m.close()));
  }
}
