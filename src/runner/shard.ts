import type { SuitePlan } from './declare.js';

/** `--shard i/n`: this job runs the i-th of n parts of the checks. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `2/3` → { index: 2, count: 3 }; undefined unless 1 ≤ i ≤ n. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) return undefined;
  const shard = { index: Number(m[1]), count: Number(m[2]) };
  return shard.index >= 1 && shard.index <= shard.count ? shard : undefined;
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * The part of the declared checks that one shard runs. Check ids are sorted and dealt out in turn, so every
 * check is in exactly one shard and shards differ by one check at most, however uneven the suites are
 * (rights holds half of Kanboard's checks). A check id names the same check on every target of a
 * protocol; each job declares the same checks, so each deals the same hand.
 */
export function shardOf(suites: readonly SuitePlan[], shard: Shard): SuitePlan[] {
  const ids = [...new Set(suites.flatMap((s) => s.checks.map((c) => c.id)))].sort();
  const mine = new Set(ids.filter((_id, i) => i % shard.count === shard.index - 1));
  return suites
    .map((s) => ({ ...s, checks: s.checks.filter((c) => mine.has(c.id)) }))
    .filter((s) => s.checks.length > 0);
}
