import { describe, expect, test } from 'vitest';
import { mergeResults, shardProblem } from '../../src/report/merge.js';
import { makeResults, type TargetResults } from '../../src/report/results.js';
import type { CheckRecord } from '../../src/spec/check.js';

function record(id: string): CheckRecord {
  return {
    id,
    target: 'kanboard',
    protocol: 'kanboard',
    kind: 'shapes',
    method: 'getMe',
    case: id,
    identity: null,
    title: id,
    see: [],
    facets: [{ level: 'must', says: 'ok', ok: true }],
    exchanges: [],
  };
}

function part(shard: string | undefined, runId: string, ids: string[]): TargetResults {
  return makeResults({
    accord: '0',
    runId,
    target: 'kanboard',
    protocol: 'kanboard',
    title: 'Kanboard',
    reference: '',
    url: 'http://x',
    mock: true,
    gate: 'must',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    methods: ['getMe'],
    records: ids.map(record),
    ...(shard ? { shard } : {}),
  });
}

describe('accord merge-reports: the shards of a run', () => {
  test('all shards once: merged, with every record', () => {
    const parts = [part('2/3', 'bbb', ['b']), part('1/3', 'aaa', ['a']), part('3/3', 'ccc', ['c'])];
    expect(shardProblem(parts)).toBeUndefined();
    const [merged] = mergeResults(parts);
    expect(merged!.records.map((r) => r.id).sort()).toEqual(['a', 'b', 'c']);
    expect(merged!.totals.passed).toBe(3);
    expect(merged!.shard).toBeUndefined();
  });

  test('a whole run (no shard) on its own is complete', () => {
    expect(shardProblem([part(undefined, 'aaa', ['a'])])).toBeUndefined();
  });

  test.each([
    [[part('1/2', 'aaa', ['a'])], 'kanboard: shard 2/2 is missing (given: 1/2)'],
    [
      [part('1/2', 'aaa', ['a']), part('1/2', 'bbb', ['a']), part('2/2', 'ccc', ['b'])],
      'kanboard: shard 1/2 is given 2 times (runs aaa, bbb)',
    ],
    [
      [part('1/2', 'aaa', ['a']), part('2/3', 'bbb', ['b'])],
      'kanboard: the parts come from runs split differently (1/2, 2/3)',
    ],
    [
      [part(undefined, 'aaa', ['a']), part(undefined, 'bbb', ['a'])],
      'kanboard: shard 1/1 is given 2 times (runs aaa, bbb)',
    ],
  ])('%#: says what is wrong', (parts, problem) => {
    expect(shardProblem(parts)).toBe(problem);
  });
});
