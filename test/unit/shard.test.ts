import { describe, expect, test } from 'vitest';
import type { RunPlan } from '../../src/client/target.js';
import { declareChecks } from '../../src/runner/declare.js';
import { parseShard, shardOf } from '../../src/runner/shard.js';

/** Declaring sends nothing: a plan with an unreachable URL is enough to see every check of a protocol. */
function planFor(...protocols: string[]): RunPlan {
  const targets = protocols.map((p) => ({ name: p, protocol: p, url: 'http://127.0.0.1:9', given: {}, mock: true }));
  return {
    runId: 'shard0',
    prefix: 'accord_shard0',
    gate: 'must',
    targets,
    selection: { kinds: [], methods: [] },
    timeoutMs: 1000,
  };
}

describe('--shard i/n', () => {
  test.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/3', { index: 2, count: 3 }],
    ['10/10', { index: 10, count: 10 }],
  ])('%s is a shard', (text, shard) => expect(parseShard(text)).toEqual(shard));

  test.each(['0/2', '3/2', '1/0', '1', 'a/b', '1/2/3', ' 1/2'])('%j is not', (text) =>
    expect(parseShard(text)).toBeUndefined(),
  );

  test.each([2, 3, 7])('every check of every target is in exactly one of %i shards, and shards are even', (n) => {
    const { suites, errors } = declareChecks(planFor('kanboard', 'nymea', 'octoprint'));
    expect(errors).toEqual([]);
    const all = suites.flatMap((s) => s.checks.map((c) => `${s.target.name} ${c.id}`)).sort();
    const parts = Array.from({ length: n }, (_, i) => shardOf(suites, { index: i + 1, count: n }));
    const seen = parts.flatMap((part) => part.flatMap((s) => s.checks.map((c) => `${s.target.name} ${c.id}`)));
    expect([...seen].sort()).toEqual(all);
    const sizes = parts.map((part) => new Set(part.flatMap((s) => s.checks.map((c) => c.id))).size);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    // Not by suite: the rights suite, half of Kanboard's checks, is spread over every shard.
    for (const part of parts) expect(part.some((s) => s.target.name === 'kanboard' && s.kind === 'rights')).toBe(true);
  });

  test('the same check id on two targets of a protocol goes to the same shard', () => {
    const plan = planFor('nymea');
    const twoEndpoints = { ...plan, targets: [plan.targets[0]!, { ...plan.targets[0]!, name: 'nymea-ws' }] };
    const part = shardOf(declareChecks(twoEndpoints).suites, { index: 1, count: 2 });
    const idsOf = (name: string) =>
      part
        .filter((s) => s.target.name === name)
        .flatMap((s) => s.checks.map((c) => c.id))
        .sort();
    expect(idsOf('nymea-ws')).toEqual(idsOf('nymea'));
  });
});
