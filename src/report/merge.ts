import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckRecord } from '../spec/check.js';
import { makeResults, type TargetResults } from './results.js';

/** Every target's results.json under a reports folder. */
export function readReportsFolder(dir: string): TargetResults[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'results.json')))
    .map((e) => JSON.parse(readFileSync(join(dir, e.name, 'results.json'), 'utf8')) as TargetResults);
}

function byTarget(parts: readonly TargetResults[]): TargetResults[][] {
  const groups = new Map<string, TargetResults[]>();
  for (const p of parts) groups.set(p.target, [...(groups.get(p.target) ?? []), p]);
  return [...groups.values()];
}

/**
 * Why the parts do not make whole runs, in one line, or undefined when they do: for each target, every
 * shard 1/n to n/n exactly once, all cut n ways. A results.json without `shard` is a whole run (1/1).
 */
export function shardProblem(parts: readonly TargetResults[]): string | undefined {
  for (const group of byTarget(parts)) {
    const target = group[0]!.target;
    const shards = group.map((p) => p.shard ?? '1/1');
    const counts = [...new Set(shards.map((s) => s.split('/')[1]))];
    if (counts.length > 1) return `${target}: the parts come from runs split differently (${shards.join(', ')})`;
    const n = Number(counts[0]);
    for (let i = 1; i <= n; i++) {
      const these = group.filter((p) => (p.shard ?? '1/1') === `${i}/${n}`);
      if (these.length === 0) return `${target}: shard ${i}/${n} is missing (given: ${[...shards].sort().join(', ')})`;
      if (these.length > 1)
        return `${target}: shard ${i}/${n} is given ${these.length} times (runs ${these.map((p) => p.runId).join(', ')})`;
    }
  }
  return undefined;
}

/**
 * The shards of one run (`accord check --shard i/n` in several CI jobs) as one result per target: records
 * are joined by check id (a check that ran in any shard wins over one skipped in another). Check that the
 * shards are complete first (shardProblem).
 */
export function mergeResults(parts: readonly TargetResults[]): TargetResults[] {
  return byTarget(parts).map((group) => {
    const first = group[0] as TargetResults;
    const records = new Map<string, CheckRecord>();
    for (const part of group) {
      for (const r of part.records) {
        const seen = records.get(r.id);
        if (!seen || (seen.skipped !== undefined && r.skipped === undefined)) records.set(r.id, r);
      }
    }
    const { totals: _t, comparison: _c, shard: _s, ...base } = first;
    return makeResults({
      ...base,
      runId: [...new Set(group.map((g) => g.runId))].join('+'),
      durationMs: Math.max(...group.map((g) => g.durationMs)),
      startedAt: group.map((g) => g.startedAt).sort()[0] as string,
      records: [...records.values()],
    });
  });
}
