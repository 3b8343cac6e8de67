import type { CheckKind } from '../../spec/check.js';
import { isLevel, type Level } from '../../spec/levels.js';
import { parseShard, type Shard } from '../../runner/shard.js';
import { CliError } from '../cli-error.js';
import { findConfig, loadConfig, type Config } from '../config.js';

/** `accord check`'s options as commander parses them (camelCase flags; credential flags by their keys). */
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

/** Every option of `accord check` once parsed and checked, with the config file's defaults filled in. */
export interface CheckSettings {
  /** accord.config.json (or --config): its targets are the run's when no protocol is named. */
  readonly config: Config | undefined;
  readonly gate: Level;
  /** --only and --method; resolve-targets.ts checks them against the targets' protocols (validateSelection). */
  readonly kinds: readonly CheckKind[];
  readonly methods: readonly string[];
  /** --shard as given (resolve-targets.ts refuses a malformed one), and parsed. */
  readonly shardAsked: string | undefined;
  readonly shard: Shard | undefined;
  /** --target: the config's targets to keep. */
  readonly targetNames: readonly string[] | undefined;
  readonly timeoutMs: number;
  /** What pre-flight's probes wait: --timeout when given, else pre-flight's own 4 s. */
  readonly preflightTimeoutMs: number | undefined;
  readonly deadlineMs: number | undefined;
  readonly concurrency: number | undefined;
  readonly fuzz: { readonly runs: number; readonly seed: number };
  readonly bail: boolean;
  readonly reports: string;
  readonly compare: string | undefined;
  readonly quiet: boolean;
  readonly faults: readonly string[];
  readonly variant: string | undefined;
  readonly dryRun: boolean;
}

/** `a, b,,c` → ['a', 'b', 'c']. */
export function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Parse and check the options (a mistake is one CliError line); with no protocol, the config file's too. */
export function checkSettings(protocolArg: string | undefined, cliOptions: CheckOptions): CheckSettings {
  // With no protocol: the targets of accord.config.json (or --config), else every embedded mock.
  const configFile = protocolArg === undefined ? findConfig(cliOptions.config) : undefined;
  if (cliOptions.config && protocolArg !== undefined) {
    throw new CliError('--config checks the targets of the file: leave out the protocol');
  }
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
  const deadlineMs = options.deadline === undefined ? undefined : Number(options.deadline) * 1000;
  if (deadlineMs !== undefined && (!Number.isFinite(deadlineMs) || deadlineMs <= 0)) {
    throw new CliError(`--deadline must be a number of seconds, not "${options.deadline}"`);
  }
  const timeoutMs = options.timeout === undefined ? 10_000 : Number(options.timeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new CliError(`--timeout must be a number of milliseconds, not "${options.timeout}"`);
  }
  const concurrency = options.concurrency === undefined ? undefined : Number(options.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    const asked = options.concurrency;
    throw new CliError(`--concurrency takes a number of suites at once per server (1 or more), not "${asked}"`);
  }
  const fuzz = { runs: Number(options.fuzz ?? 20), seed: Number(options.fuzzSeed ?? 1) };
  if (!Number.isInteger(fuzz.runs) || fuzz.runs < 1) {
    throw new CliError(`--fuzz takes a number of garbage calls per method, not "${options.fuzz}"`);
  }
  if (!Number.isInteger(fuzz.seed)) throw new CliError(`--fuzz-seed takes an integer, not "${options.fuzzSeed}"`);
  return {
    config,
    gate,
    // Checked against CHECK_KINDS with the targets (resolve-targets.ts), before anything starts.
    kinds: list(options.only) as CheckKind[],
    methods: list(options.method),
    shardAsked: options.shard,
    shard: options.shard === undefined ? undefined : parseShard(options.shard),
    targetNames: options.target ? list(options.target) : undefined,
    timeoutMs,
    preflightTimeoutMs: options.timeout === undefined ? undefined : timeoutMs,
    deadlineMs,
    concurrency,
    fuzz,
    bail: Boolean(options.bail),
    reports: options.reports ?? 'reports',
    compare: options.compare,
    quiet: Boolean(options.quiet),
    faults: options.fault ?? [],
    variant: options.variant,
    dryRun: Boolean(options.dryRun),
  };
}
