import { mkdirSync, writeFileSync } from 'node:fs';
import { RunContext } from '../src/client/run-context.js';
import type { RunPlan, TargetConfig } from '../src/client/target.js';
import { protocols } from '../src/protocols/index.js';
import type { ProtocolSpec } from '../src/spec/protocol.js';
import { parseRequestText, type HttpRequestData } from '../src/wire/http.js';
import { load, type LoadResult } from './load.js';
import { serveFlagsFor } from '../src/commands/given.js';
import { BASELINE, CLI, STREAM_BASELINE, coldStart, startChild, timeCommand } from './processes.js';
import { streamLoad } from './stream-load.js';

/**
 * npm run bench: for each protocol, throughput and latency of an authenticated read and write on the mock
 * (`accord serve` in its own process), each measured in the same run as a bare node:http server (for nymea:
 * bare TCP and WebSocket servers) answering the same bytes, and reported as a ratio to it; cold start of `accord serve`; the wall time of the full
 * conformance run against the embedded mock. Results: reports/bench.json and the table printed below.
 * BENCH_SECONDS (default 8) sets each load's duration; BENCH_PROTOCOLS=kanboard,nymea measures only those;
 * BENCH_PROFILE=1 writes the mock's CPU profile of each load to reports/profiles/.
 */
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 8);
const TARGETS = { read: 0.5, write: 0.3, coldStartMs: 300, conformanceMs: 30_000 };

interface CallBench {
  readonly call: 'read' | 'write';
  readonly method: string;
  /** How it went over the wire: http, tcp or ws (nymea is measured on both of its transports). */
  readonly via: string;
  readonly mock: LoadResult;
  readonly baseline: LoadResult;
  readonly ratio: number;
}

interface ProtocolBench {
  readonly protocol: string;
  readonly calls: readonly CallBench[];
  readonly coldStartMs: number;
  readonly conformanceMs: number;
  readonly conformanceExit: number | null;
  readonly note?: string;
}

/** One real call through the protocol's client, to learn the exact request and reply (and, on a stream, the setup lines). */
async function capture(protocol: ProtocolSpec<unknown, unknown>, url: string, given: Record<string, unknown>, identity: string, method: string, params: unknown) {
  const target: TargetConfig = { name: protocol.id, protocol: protocol.id, url, given, mock: true };
  const plan: RunPlan = { runId: 'bench0', prefix: 'accord_bench0', gate: 'must', targets: [target], selection: { kinds: [], methods: [] }, timeoutMs: 10_000 };
  const ctx = new RunContext(plan, target, protocol, 'b');
  // No teardown: closing a stream session revokes its token, which the load still uses; the mock goes after.
  return ctx.exchange(method, params, identity);
}

/** Writes get a fresh number in every request: the captured `_0` becomes the token the load replaces. */
const SEQ = 'ACCORDSEQ';
const numbered = (text: string) => text.replace(/accord_bench00_([a-z]+)_0/g, `accord_bench00_$1_${SEQ}`);

/** How many endpoints the mock listens on (nymea: TCP and WebSocket). */
async function endpointsOf(protocol: ProtocolSpec<unknown, unknown>): Promise<number> {
  const mock = await startChild([CLI, 'serve', protocol.id, ...serveFlagsFor(protocol.id, { withSecrets: true })]);
  await mock.stop();
  return mock.urls.length;
}

async function measure(protocol: ProtocolSpec<unknown, unknown>, which: 'read' | 'write', endpoint: number): Promise<CallBench> {
  const spec = protocol.bench![which];
  const params = 'params' in spec && typeof spec.params === 'function' ? spec.params('0') : spec.params;
  // BENCH_PROFILE=1: the mock writes a CPU profile per load to reports/profiles/ (open it in Chrome DevTools).
  const profile = process.env['BENCH_PROFILE'] === '1' ? ['--cpu-prof', `--cpu-prof-dir=reports/profiles`, `--cpu-prof-name=${protocol.id}-${which}-${endpoint}.cpuprofile`] : [];
  const mock = await startChild([...profile, CLI, 'serve', protocol.id, ...serveFlagsFor(protocol.id, { withSecrets: true })]);
  try {
    const url = mock.urls[endpoint]!;
    const given = (await (await fetch(`${mock.control}/__accord/given`)).json()) as Record<string, unknown>;
    const exchange = await capture(protocol, url, { ...given, control: mock.control }, spec.identity, spec.method, params);
    const o = exchange.observed;
    const seq = which === 'write' ? SEQ : undefined;
    if (o.transport === 'http') {
      const request: HttpRequestData = parseRequestText(exchange.request);
      const headers = Object.fromEntries(Object.entries(o.headers).filter(([k]) => ['content-type', 'www-authenticate', 'content-length'].includes(k)));
      const baseline = await startChild([BASELINE, JSON.stringify({ status: o.status, headers, body: o.text })]);
      try {
        const loaded = which === 'write' ? { ...request, body: numbered(request.body) } : request;
        const baselineResult = await load(baseline.url, loaded, SECONDS, seq);
        const mockResult = await load(url, loaded, SECONDS, seq);
        return { call: which, method: spec.method, via: 'http', mock: mockResult, baseline: baselineResult, ratio: mockResult.rps / baselineResult.rps };
      } finally {
        await baseline.stop();
      }
    }
    if (o.transport === 'none') throw new Error(`${spec.method}: ${o.error}`);
    const reply = o.raw.at(-1);
    if (reply === undefined) throw new Error(`${spec.method}: no reply`);
    const baseline = await startChild([STREAM_BASELINE, reply]);
    try {
      const baseUrl = baseline.urls.find((u) => new URL(u).protocol === new URL(url).protocol)!;
      const request = which === 'write' ? numbered(exchange.request) : exchange.request;
      const setup = exchange.setup ?? [];
      const baselineResult = await streamLoad(baseUrl, setup, request, SECONDS, seq);
      const mockResult = await streamLoad(url, setup, request, SECONDS, seq);
      return { call: which, method: spec.method, via: o.transport, mock: mockResult, baseline: baselineResult, ratio: mockResult.rps / baselineResult.rps };
    } finally {
      await baseline.stop();
    }
  } finally {
    await mock.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function benchProtocol(protocol: ProtocolSpec<unknown, unknown>): Promise<ProtocolBench> {
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) starts.push(await coldStart(protocol.id));
  const conformance = await timeCommand([CLI, 'check', protocol.id, '--quiet', '--reports', 'reports/bench-conformance']);
  const base = { protocol: protocol.id, coldStartMs: median(starts), conformanceMs: conformance.ms, conformanceExit: conformance.code };
  if (!protocol.bench) return { ...base, calls: [], note: 'no bench calls declared' };
  const calls: CallBench[] = [];
  try {
    // Every endpoint of the mock (nymea: TCP, then WebSocket), read then write.
    const endpoints = await endpointsOf(protocol);
    for (let endpoint = 0; endpoint < endpoints; endpoint++) calls.push(await measure(protocol, 'read', endpoint), await measure(protocol, 'write', endpoint));
    return { ...base, calls };
  } catch (error) {
    return { ...base, calls, note: `load not measured: ${(error as Error).message.split('\n')[0]}` };
  }
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const row = (cells: readonly string[], widths: readonly number[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');

const results: ProtocolBench[] = [];
const only = (process.env['BENCH_PROTOCOLS'] ?? '').split(',').filter((p) => p !== '');
for (const protocol of Object.values(protocols).filter((p) => only.length === 0 || only.includes(p.id))) {
  process.stdout.write(`benchmarking ${protocol.id}…\n`);
  results.push(await benchProtocol(protocol as ProtocolSpec<unknown, unknown>));
}

const widths = [14, 11, 22, 10, 10, 14, 14, 8, 9];
const lines = [
  `accord bench: ${SECONDS} s per load, 20 connections (HTTP: autocannon; TCP/WebSocket: bench/stream-load.ts, one request in flight per connection), load generator and servers on this machine`,
  row(['protocol', 'call', 'method', 'mock rps', 'base rps', 'mock p50/p99', 'base p50/p99', 'ratio', 'target'], widths),
];
for (const r of results) {
  for (const b of r.calls) {
    const target = TARGETS[b.call];
    lines.push(
      row(
        [r.protocol, `${b.call} ${b.via}`, b.method, b.mock.rps.toFixed(0), b.baseline.rps.toFixed(0), `${b.mock.p50}/${b.mock.p99} ms`, `${b.baseline.p50}/${b.baseline.p99} ms`, pct(b.ratio), `${b.ratio >= target ? '✓' : '✗'} ≥${pct(target)}`],
        widths,
      ),
    );
  }
  for (const b of r.calls) {
    // A load whose answers were not successes measured something else: say so under the table.
    const failed = b.mock.non2xx + b.mock.errors;
    if (failed > 0) lines.push(`${r.protocol.padEnd(14)}  ${b.call} ${b.via}: ${b.mock.non2xx} answers were not 2xx and ${b.mock.errors} requests failed: not a fair measurement`);
  }
  if (r.note) lines.push(`${r.protocol.padEnd(14)}  ${r.note}`);
}
lines.push('');
for (const r of results) {
  lines.push(
    `${r.protocol.padEnd(14)}  cold start ${r.coldStartMs.toFixed(0)} ms ${r.coldStartMs < TARGETS.coldStartMs ? '✓' : '✗'} <${TARGETS.coldStartMs} ms   full conformance run ${(r.conformanceMs / 1000).toFixed(1)} s (exit ${r.conformanceExit})`,
  );
}
const total = results.reduce((s, r) => s + r.conformanceMs, 0);
lines.push(`all protocols' conformance runs: ${(total / 1000).toFixed(1)} s ${total < TARGETS.conformanceMs ? '✓' : '✗'} <${TARGETS.conformanceMs / 1000} s`);
mkdirSync('reports', { recursive: true });
writeFileSync('reports/bench.json', `${JSON.stringify({ seconds: SECONDS, targets: TARGETS, results }, null, 2)}\n`);
process.stdout.write(`${lines.join('\n')}\nwritten: reports/bench.json\n`);
