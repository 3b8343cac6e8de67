import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { protocols } from '../src/protocols/index.js';
import type { ProtocolSpec } from '../src/spec/protocol.js';
import { endpointsOf, loadMock, SECONDS, type BenchCallName, type MockLoad } from './measure.js';

/**
 * The same reads and write with few and with many users in the state (issue 16): the populated fixture
 * grown with the protocol's `bench.seedUser` to 10 and to 10,000 users, served with --seed, loaded alone
 * (no baseline: the ratio of the two throughputs on one machine is what counts). The reads are `bench.read`
 * and `bench.otherRead`: one of a record, one of a list. A read of one record should not slow down as the
 * state grows (ratio near 1); a list is 1000 times larger, so its ratio is read with its size: `per char` is
 * the throughput ratio times the size ratio, near 1 when a list costs what its size does, below when it grows
 * faster. `node dist/bench/growth.js` (BENCH_PROTOCOLS, BENCH_SECONDS).
 */
export const FEW = 10;
export const MANY = 10_000;

export interface GrowthCall {
  readonly call: 'read' | 'write';
  /** Reads: one record or a list. */
  readonly of?: 'one' | 'list';
  readonly method: string;
  readonly via: string;
  readonly few: MockLoad;
  readonly many: MockLoad;
  /** Throughput with MANY users over throughput with FEW. */
  readonly ratio: number;
  /** ratio × (answer size with MANY / answer size with FEW): 1 when the cost follows the answer's size. */
  readonly perChar: number;
}

export interface GrowthBench {
  readonly protocol: string;
  readonly calls: readonly GrowthCall[];
  readonly note?: string;
}

const SEEDS_DIR = 'reports/bench-seeds';
/** This file runs from dist/bench (npm run bench) and from bench/ (tests import it); dist/fixtures has no seeds. */
const populated = (id: string) =>
  [`../../fixtures/${id}/populated.json`, `../fixtures/${id}/populated.json`]
    .map((p) => fileURLToPath(new URL(p, import.meta.url)))
    .find((f) => existsSync(f)) ?? `fixtures/${id}/populated.json`;

/** The populated fixture's seed with users added until there are `count` (its own users come first). */
function seedFile(protocol: ProtocolSpec<unknown, unknown>, count: number): string {
  const seed = JSON.parse(readFileSync(populated(protocol.id), 'utf8')) as { users?: unknown[] };
  const users = [...(seed.users ?? [])];
  for (let i = 0; users.length < count; i++) users.push(protocol.bench!.seedUser!(i));
  mkdirSync(SEEDS_DIR, { recursive: true });
  const file = `${SEEDS_DIR}/${protocol.id}-${count}.json`;
  writeFileSync(file, JSON.stringify({ ...seed, users }));
  return file;
}

export async function measureGrowth(protocol: ProtocolSpec<unknown, unknown>): Promise<GrowthBench> {
  if (!protocol.bench?.seedUser) return { protocol: protocol.id, calls: [], note: 'no bench.seedUser declared' };
  const calls: GrowthCall[] = [];
  try {
    const few = ['--seed', seedFile(protocol, FEW)];
    const many = ['--seed', seedFile(protocol, MANY)];
    const endpoints = await endpointsOf(protocol);
    // One record first, then the list, then the write.
    const names: BenchCallName[] =
      protocol.bench.otherRead?.of === 'one'
        ? ['otherRead', 'read', 'write']
        : protocol.bench.otherRead
          ? ['read', 'otherRead', 'write']
          : ['read', 'write'];
    for (let endpoint = 0; endpoint < endpoints; endpoint++) {
      for (const name of names) {
        const a = await loadMock(protocol, name, endpoint, few);
        const b = await loadMock(protocol, name, endpoint, many);
        const ratio = b.mock.rps / a.mock.rps;
        const of = a.of ? { of: a.of } : {};
        calls.push({
          call: a.call,
          ...of,
          method: a.method,
          via: a.via,
          few: a,
          many: b,
          ratio,
          perChar: ratio * (b.answerChars / a.answerChars),
        });
      }
    }
    return { protocol: protocol.id, calls };
  } catch (error) {
    return { protocol: protocol.id, calls, note: `not measured: ${(error as Error).message.split('\n')[0]}` };
  }
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

export function growthLines(results: readonly GrowthBench[]): string[] {
  const widths = [14, 11, 26, 16, 16, 18, 8, 9];
  const row = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  const lines = [
    `state grown from ${FEW} to ${MANY} users (${SECONDS} s per load, mock alone): throughput ratio, and ratio × answer-size ratio`,
    row([
      'protocol',
      'call',
      'method',
      `rps ${FEW}/${MANY}`,
      `p50 ${FEW}/${MANY}`,
      `answer chars`,
      'ratio',
      'per char',
    ]),
    '(call: one = a read of one record, which should keep its speed (ratio near 100%); list = a read of all users, read by its per char)',
  ];
  for (const r of results) {
    for (const c of r.calls) {
      lines.push(
        row([
          r.protocol,
          `${c.call === 'read' ? (c.of ?? 'list') : c.call} ${c.via}`,
          c.method,
          `${c.few.mock.rps.toFixed(0)}/${c.many.mock.rps.toFixed(0)}`,
          `${c.few.mock.p50}/${c.many.mock.p50} ms`,
          `${c.few.answerChars}/${c.many.answerChars}`,
          pct(c.ratio),
          pct(c.perChar),
        ]),
      );
      for (const [size, l] of [
        [FEW, c.few],
        [MANY, c.many],
      ] as const) {
        const failed = l.mock.non2xx + l.mock.errors;
        if (failed > 0)
          lines.push(
            `${r.protocol.padEnd(14)}  ${c.call} ${c.via} with ${size} users: ${l.mock.non2xx} not 2xx, ${l.mock.errors} failed: not a fair measurement`,
          );
      }
    }
    if (r.note) lines.push(`${r.protocol.padEnd(14)}  ${r.note}`);
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = (process.env['BENCH_PROTOCOLS'] ?? '').split(',').filter((p) => p !== '');
  const results: GrowthBench[] = [];
  for (const protocol of Object.values(protocols).filter((p) => only.length === 0 || only.includes(p.id))) {
    process.stdout.write(`growing ${protocol.id}…\n`);
    results.push(await measureGrowth(protocol as ProtocolSpec<unknown, unknown>));
  }
  mkdirSync('reports', { recursive: true });
  writeFileSync(
    'reports/bench-growth.json',
    `${JSON.stringify({ seconds: SECONDS, few: FEW, many: MANY, results }, null, 2)}\n`,
  );
  process.stdout.write(`${growthLines(results).join('\n')}\nwritten: reports/bench-growth.json\n`);
}
