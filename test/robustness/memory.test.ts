import { describe, expect, test } from 'vitest';
import { protocols } from '../../src/protocols/index.js';
import { arrangement } from '../../src/spec/method.js';
import { DEEP, scaled } from '../support/scale.js';
import { serveFlagsFor } from '../../src/commands/given.js';
import { mockTarget } from '../support/mock-context.js';
import { serve } from '../support/serve.js';

/**
 * Many mixed requests against one mock process (`accord serve`, run with --expose-gc): reads of every
 * method and creates that are removed again. Its heap must come back to where it was, not grow with the
 * number of requests; the numbers go into the test output.
 */
describe.each(Object.keys(protocols))('%s mock memory', (id) => {
  // Bounded in `npm test` (a leak of 1 KiB a request shows here); `npm run fuzz` sends 200,000. The warm-up
  // fills the journal (the last 200 exchanges) and the kept answers, and lets the code compile.
  const total = scaled(1_200, 200_000);
  const warmUp = scaled(600, 2000);
  // What a collected heap may move by with no leak (~0.2 MiB seen after 2,500 requests); 10% more in the long run.
  const slackMiB = (before: number) => (DEEP ? before * 0.1 + 2 : 1);
  test(
    `${total} mixed requests leave the mock's heap where it was`,
    async () => {
      const server = await serve([id, ...serveFlagsFor(id, { withSecrets: true })], ['--expose-gc']);
      const heap = async () =>
        ((await (await fetch(`${server.control}/__accord/memory`)).json()) as { heapUsed: number }).heapUsed / 2 ** 20;
      try {
        const given = (await (await fetch(`${server.control}/__accord/given`)).json()) as Record<string, unknown>;
        const ctx = mockTarget(
          id,
          { url: server.url, control: server.control, given },
          { runId: 'memory', timeoutMs: 30_000 },
        ).context('m');
        await ctx.buildWorld();
        const afterWorld = ctx.mark();
        const reads = protocols[id]!.methods.filter((m) => !m.creates);
        const resources = protocols[id]!.resources.filter((r) => r.list);
        const traffic = async (n: number) => {
          let sent = 0;
          while (sent < n) {
            const validOf = async (m: (typeof reads)[number]) => (await arrangement(m.valid(ctx.callContext()))).params;
            const batch = reads.map(async (m) =>
              ctx.exchange(m.name, await validOf(m), ctx.arranger).catch(() => undefined),
            );
            const creates = resources.map((r) => r.create(ctx, {}).catch(() => undefined));
            await Promise.all([...batch, ...creates]);
            sent += batch.length + creates.length * 2;
            await ctx.teardown(afterWorld);
          }
          return sent;
        };
        // Warm: the journal full, the code compiled, the caches made.
        await traffic(warmUp);
        const before = await heap();
        const sent = await traffic(total);
        const after = await heap();
        console.log(
          `${id}: ${sent} requests; the mock process's heap ${before.toFixed(1)} MiB before, ${after.toFixed(1)} MiB after`,
        );
        expect(after - before).toBeLessThan(slackMiB(before));
      } finally {
        await server.stop();
      }
    },
    scaled(180_000, 3_600_000),
  );
});
