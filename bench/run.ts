import { mkdirSync, writeFileSync } from 'node:fs';
import { RunContext } from '../src/client/run-context.js';
import type { RunPlan, TargetConfig } from '../src/client/target.js';
import { protocols } from '../src/protocols/index.js';
import type { ProtocolSpec } from '../src/spec/protocol.js';
import { parseRequestText, type HttpRequestData } from '../src/wire/http.js';
import { load, type LoadResult } from './load.js';
import { BASELINE, CLI, coldStart, startChild, timeCommand } from './processes.js';

/**
 * npm run bench: for each protocol, throughput and latency of an authenticated read and write on the mock
 * (`accord serve` in its own process), each measured in the same run as a bare node:http server answering
 * the same bytes, and reported as a ratio to it; cold start of `accord serve`; the wall time of the full
 * conformance run against the embedded mock. Results: reports/bench.json and the table printed below.
 * BENCH_SECONDS (default 8) sets each load's duration.
 */
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 8);
const TARGETS = { read: 0.5, write: 0.3, coldStartMs: 300, conformanceMs: 30_000 };

interface CallBench {
  readonly method: string;
  readonly mock: LoadResult;
  readonly baseline: LoadResult;
  readonly ratio: number;
}

interface ProtocolBench {
  readonly protocol: string;
  readonly read?: CallBench;
  readonly write?: CallBench;
  readonly coldStartMs: number;
  readonly conformanceMs: number;
  readonly conformanceExit: number | null;
  readonly note?: string;
}

/** One real call through the protocol's client, to learn the exact request and reply bytes. */
async function capture(protocol: ProtocolSpec<unknown, unknown>, url: string, given: Record<string, unknown>, identity: string, method: string, params: unknown) {
  const target: TargetConfig = { name: protocol.id, protocol: protocol.id, url, given, mock: true };
  const plan: RunPlan = { runId: 'bench0', prefix: 'accord_bench0', gate: 'must', targets: [target], selection: { kinds: [], methods: [] }, timeoutMs: 10_000 };
  const ctx = new RunContext(plan, target, protocol, 'b');
  const exchange = await ctx.exchange(method, params, identity);
  await ctx.teardown();
  if (exchange.observed.transport !== 'http') throw new Error(`${protocol.id} ${method}: no HTTP reply`);
  const o = exchange.observed;
  const headers = Object.fromEntries(Object.entries(o.headers).filter(([k]) => ['content-type', 'www-authenticate'].includes(k)));
  return { request: parseRequestText(exchange.request), reply: { status: o.status, headers, body: o.text } };
}

async function benchCall(protocol: ProtocolSpec<unknown, unknown>, which: 'read' | 'write'): Promise<CallBench> {
  const spec = protocol.bench![which];
  const seq = 'ACCORDSEQ';
  const params = 'params' in spec && typeof spec.params === 'function' ? spec.params(seq) : spec.params;
  const mock = await startChild([CLI, 'serve', protocol.id]);
  try {
    const control = /control +(http\S+)/.exec(mock.output)?.[1] ?? mock.url;
    const given = (await (await fetch(`${control}/__accord/given`)).json()) as Record<string, unknown>;
    // Capture with a sequence number the load will not use, so the captured write is a real success.
    const captured = await capture(protocol, mock.url, given, spec.identity, spec.method, which === 'write' ? JSON.parse(JSON.stringify(params).split(seq).join('0')) : params);
    const request: HttpRequestData = which === 'write' ? { ...captured.request, body: captured.request.body.replace(/accord_bench00_([a-z]+)_0/g, `accord_bench00_$1_${seq}`) } : captured.request;
    const baseline = await startChild([BASELINE, JSON.stringify(captured.reply)]);
    try {
      const baselineResult = await load(baseline.url, request, SECONDS, which === 'write' ? seq : undefined);
      const mockResult = await load(mock.url, request, SECONDS, which === 'write' ? seq : undefined);
      return { method: spec.method, mock: mockResult, baseline: baselineResult, ratio: mockResult.rps / baselineResult.rps };
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
  if (!protocol.bench) return { ...base, note: 'no bench calls declared' };
  try {
    return { ...base, read: await benchCall(protocol, 'read'), write: await benchCall(protocol, 'write') };
  } catch (error) {
    return { ...base, note: `load not measured: ${(error as Error).message.split('\n')[0]}` };
  }
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const row = (cells: readonly string[], widths: readonly number[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');

const results: ProtocolBench[] = [];
for (const protocol of Object.values(protocols)) {
  process.stdout.write(`benchmarking ${protocol.id}…\n`);
  results.push(await benchProtocol(protocol as ProtocolSpec<unknown, unknown>));
}

const widths = [14, 6, 22, 10, 10, 12, 12, 8, 9];
const lines = [
  `accord bench: autocannon, 20 connections, ${SECONDS} s per load, load generator and servers on this machine`,
  row(['protocol', 'call', 'method', 'mock rps', 'base rps', 'mock p50/p99', 'base p50/p99', 'ratio', 'target'], widths),
];
for (const r of results) {
  for (const which of ['read', 'write'] as const) {
    const b = r[which];
    if (!b) continue;
    const target = TARGETS[which];
    lines.push(
      row(
        [r.protocol, which, b.method, b.mock.rps.toFixed(0), b.baseline.rps.toFixed(0), `${b.mock.p50}/${b.mock.p99} ms`, `${b.baseline.p50}/${b.baseline.p99} ms`, pct(b.ratio), `${b.ratio >= target ? '✓' : '✗'} ≥${pct(target)}`],
        widths,
      ),
    );
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
