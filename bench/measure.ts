import { RunContext } from '../src/client/run-context.js';
import type { RunPlan, TargetConfig } from '../src/client/target.js';
import { serveFlagsFor } from '../src/commands/given.js';
import type { ProtocolSpec } from '../src/spec/protocol.js';
import { parseRequestText, type HttpRequestData } from '../src/wire/http.js';
import { load, type LoadResult } from './load.js';
import { BASELINE, CLI, STREAM_BASELINE, startChild } from './processes.js';
import { streamLoad } from './stream-load.js';

/**
 * One load of a protocol's declared bench call (read or write) on `accord serve` in its own process, and
 * the same bytes from a bare server for comparison (bench/run.ts), or the mock alone (bench/growth.ts).
 */
export const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 8);
/**
 * Beside a bare server, the load is cut into this many rounds, the bare server's and the mock's in turn
 * (BENCH_ROUNDS, default 4): other work on the machine then weighs on both alike, not on whichever ran last.
 */
export const ROUNDS = Math.max(1, Math.floor(Number(process.env['BENCH_ROUNDS'] ?? 4)));
/**
 * Before the rounds, each side takes a load of this many seconds that is not counted (BENCH_WARMUP, default 2):
 * the first round of a mock just started ran its code before the JIT had compiled it, and came out a third
 * below the others, while the bare server, a few lines, is warm at once.
 */
export const WARMUP_SECONDS = Math.max(0, Number(process.env['BENCH_WARMUP'] ?? 2));

/** Rounds of one load as one: throughputs averaged (the rounds last alike), the slowest p99. */
function combined(rounds: readonly LoadResult[]): LoadResult {
  const sum = (f: (r: LoadResult) => number) => rounds.reduce((s, r) => s + f(r), 0);
  const p50s = rounds.map((r) => r.p50).sort((a, b) => a - b);
  return {
    rps: sum((r) => r.rps) / rounds.length,
    p50: p50s[Math.floor(p50s.length / 2)] ?? 0,
    p99: Math.max(...rounds.map((r) => r.p99)),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
  };
}

/** A warm-up load on each, then `rounds` loads of `seconds / rounds` each, on `a` and `b` in turn (a first); each side's rounds combined. */
async function inTurn(
  a: (s: number) => Promise<LoadResult>,
  b: (s: number) => Promise<LoadResult>,
  seconds: number,
  rounds: number,
) {
  if (WARMUP_SECONDS > 0) {
    await a(WARMUP_SECONDS);
    await b(WARMUP_SECONDS);
  }
  const as: LoadResult[] = [];
  const bs: LoadResult[] = [];
  for (let i = 0; i < rounds; i++) {
    as.push(await a(seconds / rounds));
    bs.push(await b(seconds / rounds));
  }
  // Each round's pair ran back to back: the ratio of a pair cancels what weighed on the machine then.
  const ratios = bs.map((r, i) => r.rps / (as[i] as LoadResult).rps);
  return { a: combined(as), b: combined(bs), ratios };
}

/** The middle value (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface CallBench {
  readonly call: 'read' | 'write';
  readonly method: string;
  /** How it went over the wire: http, tcp or ws (nymea is measured on both of its transports). */
  readonly via: string;
  readonly mock: LoadResult;
  readonly baseline: LoadResult;
  /** The median of the rounds' ratios (mock rps / bare server rps in the round just before). */
  readonly ratio: number;
  /** Each round's ratio, in the order run. */
  readonly roundRatios: readonly number[];
}

/** Which of a protocol's bench calls (src/spec/protocol.ts). */
export type BenchCallName = 'read' | 'otherRead' | 'write';

export interface MockLoad {
  readonly call: 'read' | 'write';
  /** Reads: one record or a list. */
  readonly of?: 'one' | 'list';
  readonly method: string;
  readonly via: string;
  readonly mock: LoadResult;
  /** The answer's size in characters (its body, or its line on a stream), as first captured. */
  readonly answerChars: number;
}

/** One real call through the protocol's client, to learn the exact request and reply (and, on a stream, the setup lines). */
async function capture(
  protocol: ProtocolSpec<unknown, unknown>,
  url: string,
  given: Record<string, unknown>,
  identity: string,
  method: string,
  params: unknown,
) {
  const target: TargetConfig = { name: protocol.id, protocol: protocol.id, url, given, mock: true };
  const plan: RunPlan = {
    runId: 'bench0',
    prefix: 'accord_bench0',
    gate: 'must',
    targets: [target],
    selection: { kinds: [], methods: [] },
    timeoutMs: 10_000,
  };
  const ctx = new RunContext(plan, target, protocol, 'b');
  // No teardown: closing a stream session revokes its token, which the load still uses; the mock goes after.
  return ctx.exchange(method, params, identity);
}

/** Writes get a fresh number in every request: the captured `_0` becomes the token the load replaces. */
const SEQ = 'ACCORDSEQ';
const numbered = (text: string) => text.replace(/accord_bench00_([a-z]+)_0/g, `accord_bench00_$1_${SEQ}`);

/** How many endpoints the mock listens on (nymea: TCP and WebSocket). */
export async function endpointsOf(protocol: ProtocolSpec<unknown, unknown>): Promise<number> {
  const mock = await startChild([CLI, 'serve', protocol.id, ...serveFlagsFor(protocol.id, { withSecrets: true })]);
  await mock.stop();
  return mock.urls.length;
}

/** A load of the mock and of a bare server sending the same bytes, in turns (ROUNDS); the ratio of their throughputs. */
export async function measure(
  protocol: ProtocolSpec<unknown, unknown>,
  which: 'read' | 'write',
  endpoint: number,
): Promise<CallBench> {
  const result = await loadMock(protocol, which, endpoint, [], true);
  const baseline = result.baseline!;
  return {
    call: which,
    method: result.method,
    via: result.via,
    mock: result.mock,
    baseline,
    ratio: median(result.ratios!),
    roundRatios: result.ratios!,
  };
}

/**
 * A load of the mock started with `serveArgs` (a --seed file, say) instead of the embedded mock's flags. With `beside`, a bare server
 * answering the captured reply is loaded too, in turns with the mock (`baseline` in the result).
 */
export async function loadMock(
  protocol: ProtocolSpec<unknown, unknown>,
  name: BenchCallName,
  endpoint: number,
  serveArgs: readonly string[],
  beside = false,
): Promise<MockLoad & { readonly baseline?: LoadResult; readonly ratios?: readonly number[] }> {
  const spec = protocol.bench![name];
  if (!spec) throw new Error(`no bench.${name} declared`);
  const which = name === 'write' ? 'write' : 'read';
  const of = 'of' in spec ? (spec.of ?? 'list') : which === 'read' ? 'list' : undefined;
  const params = 'params' in spec && typeof spec.params === 'function' ? spec.params('0') : spec.params;
  // BENCH_PROFILE=1: the mock writes a CPU profile per load to reports/profiles/ (open it in Chrome DevTools).
  const seed = serveArgs
    .at(-1)
    ?.split('/')
    .at(-1)
    ?.replace(/\.json$/, '');
  const profileName = `${protocol.id}-${name}-${endpoint}${seed ? `-${seed}` : ''}`;
  const profile =
    process.env['BENCH_PROFILE'] === '1'
      ? ['--cpu-prof', `--cpu-prof-dir=reports/profiles`, `--cpu-prof-name=${profileName}.cpuprofile`]
      : [];
  // A seed brings its own credentials (the embedded mock's, given as well, may clash with its users).
  const flags = serveArgs.length > 0 ? serveArgs : serveFlagsFor(protocol.id, { withSecrets: true });
  const mock = await startChild([...profile, CLI, 'serve', protocol.id, ...flags], 60_000);
  try {
    const url = mock.urls[endpoint]!;
    const given = (await (await fetch(`${mock.control}/__accord/given`)).json()) as Record<string, unknown>;
    const exchange = await capture(
      protocol,
      url,
      { ...given, control: mock.control },
      spec.identity,
      spec.method,
      params,
    );
    const o = exchange.observed;
    const seq = which === 'write' ? SEQ : undefined;
    if (o.transport === 'http') {
      const request: HttpRequestData = parseRequestText(exchange.request);
      const loaded = which === 'write' ? { ...request, body: numbered(request.body) } : request;
      const base = {
        call: which,
        method: spec.method,
        via: 'http',
        answerChars: o.text.length,
        ...(of ? { of } : {}),
      } as const;
      if (!beside) return { ...base, mock: await load(url, loaded, SECONDS, seq) };
      const headers = Object.fromEntries(
        Object.entries(o.headers).filter(([k]) => ['content-type', 'www-authenticate', 'content-length'].includes(k)),
      );
      const bare = await startChild([BASELINE, JSON.stringify({ status: o.status, headers, body: o.text })]);
      try {
        const both = await inTurn(
          (s) => load(bare.url, loaded, s, seq),
          (s) => load(url, loaded, s, seq),
          SECONDS,
          ROUNDS,
        );
        return { ...base, mock: both.b, baseline: both.a, ratios: both.ratios };
      } finally {
        await bare.stop();
      }
    }
    if (o.transport === 'none') throw new Error(`${spec.method}: ${o.error}`);
    const reply = o.raw.at(-1);
    if (reply === undefined) throw new Error(`${spec.method}: no reply`);
    const request = which === 'write' ? numbered(exchange.request) : exchange.request;
    const setup = exchange.setup ?? [];
    const base = {
      call: which,
      method: spec.method,
      via: o.transport,
      answerChars: reply.length,
      ...(of ? { of } : {}),
    } as const;
    if (!beside) return { ...base, mock: await streamLoad(url, setup, request, SECONDS, seq) };
    const bare = await startChild([STREAM_BASELINE, reply]);
    try {
      const baseUrl = bare.urls.find((u) => new URL(u).protocol === new URL(url).protocol)!;
      const both = await inTurn(
        (s) => streamLoad(baseUrl, setup, request, s, seq),
        (s) => streamLoad(url, setup, request, s, seq),
        SECONDS,
        ROUNDS,
      );
      return { ...base, mock: both.b, baseline: both.a, ratios: both.ratios };
    } finally {
      await bare.stop();
    }
  } finally {
    await mock.stop();
  }
}
