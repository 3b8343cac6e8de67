import { describe, expect, test } from 'vitest';
import { protocols } from '../../src/protocols/index.js';
import { arrangement } from '../../src/spec/method.js';
import type { ResourceSpec } from '../../src/spec/protocol.js';
import { startCheckedMock } from '../support/mock-context.js';
import { scaled } from '../support/scale.js';

/**
 * Parallel clients against one mock: distinct creates all land, a name created by many at once exists
 * once, and a storm of parallel calls of every method leaves the directory consistent (no member of a
 * group that no longer exists, no dangling token).
 */
async function contextFor(id: string) {
  // Generous: a protocol whose create answers with every user (OctoPrint) does O(n²) work here, by design.
  const { mock, context } = await startCheckedMock(id, { runId: 'cncrnt', timeoutMs: 120_000 });
  return { mock, ctx: context('c') };
}

describe.each(Object.keys(protocols))('%s under concurrency', (id) => {
  const protocol = protocols[id]!;
  const resource = protocol.resources.find((r) => r.list) as ResourceSpec;

  // 200 at once already overlaps every create with hundreds of others; `npm run fuzz` sends 1000.
  const parallel = scaled(200, 1000);
  test(`${parallel} parallel creates of distinct ${resource.kind}s give exactly that many`, async () => {
    const { mock, ctx } = await contextFor(id);
    try {
      const before = (await resource.list!(ctx)).length;
      const n = parallel;
      const made = await Promise.allSettled(Array.from({ length: n }, () => resource.create(ctx, {})));
      expect(made.filter((m) => m.status === 'rejected')).toEqual([]);
      expect((await resource.list!(ctx)).length).toBe(before + n);
      expect(mock.dialect.consistency()).toEqual([]);
    } finally {
      await mock.close();
    }
  }, 240_000);

  test(`100 parallel creates of one ${resource.kind} name give exactly one`, async () => {
    const { mock, ctx } = await contextFor(id);
    try {
      const name = ctx.name(resource.kind);
      const made = await Promise.allSettled(Array.from({ length: 100 }, () => resource.create(ctx, { name })));
      expect(made.filter((m) => m.status === 'fulfilled')).toHaveLength(1);
      expect((await resource.list!(ctx)).filter((h) => h.name === name)).toHaveLength(1);
    } finally {
      await mock.close();
    }
  }, 60_000);

  test('parallel calls of every method, in random order, leave the directory consistent', async () => {
    const { mock, ctx } = await contextFor(id);
    try {
      await ctx.buildWorld();
      const rounds = scaled(5, 50);
      const calls = [];
      for (let round = 0; round < rounds; round++) {
        for (const method of protocol.methods) {
          calls.push(
            (async () => {
              const { params } = await arrangement(method.valid(ctx.callContext()));
              await ctx.exchange(method.name, params, ctx.arranger);
            })().catch(() => undefined),
          );
        }
      }
      await Promise.all(calls);
      expect(mock.dialect.consistency()).toEqual([]);
    } finally {
      await ctx.teardown();
      expect(mock.dialect.consistency()).toEqual([]);
      await mock.close();
    }
  }, 120_000);
});
