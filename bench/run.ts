import { mkdirSync, writeFileSync } from 'node:fs';
import { protocols } from '../src/protocols/index.js';
import type { ProtocolSpec } from '../src/spec/protocol.js';
import { growthLines, measureGrowth, type GrowthBench } from './growth.js';
import { endpointsOf, measure, median, ROUNDS, SECONDS, type CallBench } from './measure.js';
import { CLI, coldStart, timeCommand } from './processes.js';

/**
 * npm run bench: for each protocol, throughput and latency of an authenticated read and write on the mock
 * (`accord serve` in its own process), each measured in the same run as a bare node:http server (for nymea:
 * bare TCP and WebSocket servers) answering the same bytes, and reported as a ratio to it; cold start of `accord serve`; the wall time of the full
 * conformance run against the embedded mock. Results: reports/bench.json and the table printed below.
 * Then the same calls with 10 and with 10,000 users in the state (bench/growth.ts; BENCH_GROWTH=0 leaves it out).
 * BENCH_SECONDS (default 8) sets each load's duration; BENCH_PROTOCOLS=kanboard,nymea measures only those;
 * BENCH_PROFILE=1 writes the mock's CPU profile of each load to reports/profiles/.
 * `--only read,growth` (after `npm run bench --`) measures only those parts: read, write (the loads beside a bare
 * server), start (cold start), conformance (the full run), growth.
 */

const TARGETS = { read: 0.5, write: 0.3, coldStartMs: 300, conformanceMs: 30_000 };

const PARTS = ['read', 'write', 'start', 'conformance', 'growth'] as const;
type Part = (typeof PARTS)[number];
function parts(argv: readonly string[]): ReadonlySet<Part> {
  const at = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (at < 0) return new Set(PARTS);
  const value = argv[at]!.includes('=') ? argv[at]!.slice('--only='.length) : (argv[at + 1] ?? '');
  const named = value.split(',').filter((p) => p !== '');
  const unknown = named.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (named.length === 0 || unknown.length > 0)
    throw new Error(`--only takes some of ${PARTS.join(', ')}; got "${value}"`);
  return new Set(named as Part[]);
}
const measured = parts(process.argv.slice(2));

interface ProtocolBench {
  readonly protocol: string;
  readonly calls: readonly CallBench[];
  /** Absent when left out (--only). */
  readonly coldStartMs?: number;
  readonly conformanceMs?: number;
  readonly conformanceExit?: number | null;
  readonly note?: string;
}

async function benchProtocol(protocol: ProtocolSpec<unknown, unknown>): Promise<ProtocolBench> {
  const starts: number[] = [];
  if (measured.has('start')) for (let i = 0; i < 5; i++) starts.push(await coldStart(protocol.id));
  const conformance = measured.has('conformance')
    ? await timeCommand([CLI, 'check', protocol.id, '--quiet', '--reports', 'reports/bench-conformance'])
    : undefined;
  const base = {
    protocol: protocol.id,
    ...(starts.length > 0 ? { coldStartMs: median(starts) } : {}),
    ...(conformance ? { conformanceMs: conformance.ms, conformanceExit: conformance.code } : {}),
  };
  const loads = (['read', 'write'] as const).filter((call) => measured.has(call));
  if (loads.length === 0) return { ...base, calls: [] };
  if (!protocol.bench) return { ...base, calls: [], note: 'no bench calls declared' };
  const calls: CallBench[] = [];
  try {
    // Every endpoint of the mock (nymea: TCP, then WebSocket), read then write.
    const endpoints = await endpointsOf(protocol);
    for (let endpoint = 0; endpoint < endpoints; endpoint++)
      for (const call of loads) calls.push(await measure(protocol, call, endpoint));
    return { ...base, calls };
  } catch (error) {
    return { ...base, calls, note: `load not measured: ${(error as Error).message.split('\n')[0]}` };
  }
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const row = (cells: readonly string[], widths: readonly number[]) =>
  cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');

const results: ProtocolBench[] = [];
const only = (process.env['BENCH_PROTOCOLS'] ?? '').split(',').filter((p) => p !== '');
for (const protocol of Object.values(protocols).filter((p) => only.length === 0 || only.includes(p.id))) {
  process.stdout.write(`benchmarking ${protocol.id}…\n`);
  results.push(await benchProtocol(protocol as ProtocolSpec<unknown, unknown>));
}
const growth: GrowthBench[] = [];
if (process.env['BENCH_GROWTH'] !== '0' && measured.has('growth')) {
  for (const protocol of Object.values(protocols).filter((p) => only.length === 0 || only.includes(p.id))) {
    process.stdout.write(`growing ${protocol.id}…\n`);
    growth.push(await measureGrowth(protocol as ProtocolSpec<unknown, unknown>));
  }
}

const widths = [14, 11, 22, 10, 10, 14, 14, 8, 11, 9];
const lines: string[] = [];
if (measured.has('read') || measured.has('write')) {
  lines.push(
    `accord bench: ${SECONDS} s per load in ${ROUNDS} rounds taken in turn with the bare server's (ratio: the median of the rounds' ratios; rounds: the lowest and highest), 20 connections (HTTP: autocannon; TCP/WebSocket: bench/stream-load.ts, one request in flight per connection), load generator and servers on this machine`,
    row(
      [
        'protocol',
        'call',
        'method',
        'mock rps',
        'base rps',
        'mock p50/p99',
        'base p50/p99',
        'ratio',
        'rounds',
        'target',
      ],
      widths,
    ),
  );
}
for (const r of results) {
  for (const b of r.calls) {
    const target = TARGETS[b.call];
    lines.push(
      row(
        [
          r.protocol,
          `${b.call} ${b.via}`,
          b.method,
          b.mock.rps.toFixed(0),
          b.baseline.rps.toFixed(0),
          `${b.mock.p50}/${b.mock.p99} ms`,
          `${b.baseline.p50}/${b.baseline.p99} ms`,
          pct(b.ratio),
          `${pct(Math.min(...b.roundRatios))}–${pct(Math.max(...b.roundRatios))}`,
          `${b.ratio >= target ? '✓' : '✗'} ≥${pct(target)}`,
        ],
        widths,
      ),
    );
  }
  for (const b of r.calls) {
    // A load whose answers were not successes measured something else: say so under the table.
    const failed = b.mock.non2xx + b.mock.errors;
    if (failed > 0)
      lines.push(
        `${r.protocol.padEnd(14)}  ${b.call} ${b.via}: ${b.mock.non2xx} answers were not 2xx and ${b.mock.errors} requests failed: not a fair measurement`,
      );
  }
  if (r.note) lines.push(`${r.protocol.padEnd(14)}  ${r.note}`);
}
if (measured.has('start') || measured.has('conformance')) lines.push('');
for (const r of results) {
  const start =
    r.coldStartMs === undefined
      ? ''
      : `cold start ${r.coldStartMs.toFixed(0)} ms ${r.coldStartMs < TARGETS.coldStartMs ? '✓' : '✗'} <${TARGETS.coldStartMs} ms   `;
  const run =
    r.conformanceMs === undefined
      ? ''
      : `full conformance run ${(r.conformanceMs / 1000).toFixed(1)} s (exit ${r.conformanceExit})`;
  if (start !== '' || run !== '') lines.push(`${r.protocol.padEnd(14)}  ${start}${run}`);
}
if (measured.has('conformance')) {
  const total = results.reduce((s, r) => s + (r.conformanceMs ?? 0), 0);
  lines.push(
    `all protocols' conformance runs: ${(total / 1000).toFixed(1)} s ${total < TARGETS.conformanceMs ? '✓' : '✗'} <${TARGETS.conformanceMs / 1000} s`,
  );
}
if (growth.length > 0) lines.push(...(lines.length > 0 ? [''] : []), ...growthLines(growth));
mkdirSync('reports', { recursive: true });
// A partial run writes a file of its own: the full run's reports/bench.json stays as it was.
const out = measured.size === PARTS.length ? 'reports/bench.json' : `reports/bench-${[...measured].join('-')}.json`;
writeFileSync(
  out,
  `${JSON.stringify({ seconds: SECONDS, targets: TARGETS, parts: [...measured], results, growth }, null, 2)}\n`,
);
process.stdout.write(`${lines.join('\n')}\nwritten: ${out}\n`);
