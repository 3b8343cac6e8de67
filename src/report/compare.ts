import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { verdictOf, type CheckRecord } from '../spec/check.js';
import type { Level } from '../spec/levels.js';
import type { TargetResults } from './results.js';

/** How a run differs from an earlier one, check by check (by check id), at the current gate. */
export interface Comparison {
  readonly previousRun: string;
  readonly newlyFailing: readonly string[];
  readonly fixed: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

const bad = (r: CheckRecord, gate: Level) => ['failed', 'broken'].includes(verdictOf(r, gate));

export function compare(previous: TargetResults, current: readonly CheckRecord[], gate: Level): Comparison {
  const before = new Map(previous.records.map((r) => [r.id, r]));
  const now = new Map(current.map((r) => [r.id, r]));
  const newlyFailing: string[] = [];
  const fixed: string[] = [];
  const added: string[] = [];
  for (const [id, r] of now) {
    const p = before.get(id);
    if (!p) {
      added.push(id);
      continue;
    }
    if (bad(r, gate) && !bad(p, gate)) newlyFailing.push(id);
    if (!bad(r, gate) && r.skipped === undefined && bad(p, gate)) fixed.push(id);
  }
  const removed = [...before.keys()].filter((id) => !now.has(id));
  return { previousRun: previous.runId, newlyFailing, fixed, added, removed };
}

export function describeComparison(target: string, c: Comparison): string {
  const head =
    `${target}: ${c.newlyFailing.length} newly failing, ${c.fixed.length} fixed since run ${c.previousRun}` +
    (c.added.length || c.removed.length ? ` (${c.added.length} checks new, ${c.removed.length} gone)` : '');
  const lines = [
    head,
    ...c.newlyFailing.map((id) => `  newly failing  ${id}`),
    ...c.fixed.map((id) => `  fixed          ${id}`),
  ];
  return lines.join('\n');
}

/** The earlier results for a target: `path` is a results.json, or a reports folder holding <target>/results.json. */
export function loadPrevious(path: string, target: string): TargetResults | undefined {
  const file =
    existsSync(path) && statSync(path).isDirectory()
      ? join(path, target.replace(/[^A-Za-z0-9._-]/g, '_'), 'results.json')
      : path;
  if (!existsSync(file)) return undefined;
  const results = JSON.parse(readFileSync(file, 'utf8')) as TargetResults;
  return results.target === target ? results : undefined;
}
