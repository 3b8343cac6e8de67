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

/**
 * The shards of one run (`accord check --shard i/n` in several CI jobs) as one result per target: records
 * are joined by check id (a check that ran in any shard wins over one skipped in another).
 */
export function mergeResults(parts: readonly TargetResults[]): TargetResults[] {
  const byTarget = new Map<string, TargetResults[]>();
  for (const p of parts) byTarget.set(p.target, [...(byTarget.get(p.target) ?? []), p]);
  return [...byTarget.values()].map((group) => {
    const first = group[0] as TargetResults;
    const records = new Map<string, CheckRecord>();
    for (const part of group) {
      for (const r of part.records) {
        const seen = records.get(r.id);
        if (!seen || (seen.skipped !== undefined && r.skipped === undefined)) records.set(r.id, r);
      }
    }
    const { totals: _t, comparison: _c, ...base } = first;
    return makeResults({
      ...base,
      runId: [...new Set(group.map((g) => g.runId))].join('+'),
      durationMs: Math.max(...group.map((g) => g.durationMs)),
      startedAt: group.map((g) => g.startedAt).sort()[0] as string,
      records: [...records.values()],
    });
  });
}
