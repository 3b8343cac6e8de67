import { describe, expect, test } from 'vitest';
import { faultsOf } from '../../mock/faults/index.js';
import { forgetAllPieces } from '../../mock/serial-cache.js';
import { startMock } from '../../mock/server.js';
import { RunContext } from '../../src/client/run-context.js';
import type { RunPlan, TargetConfig } from '../../src/client/target.js';
import { checkedMockDialect, protocols } from '../../src/protocols/index.js';
import { arrangement } from '../../src/spec/method.js';
import type { Exchange } from '../../src/spec/session.js';

const text = (e: Exchange) => (e.observed.transport === 'http' ? `${e.observed.status} ${e.observed.text}` : JSON.stringify(e.observed));

/**
 * Answers the mock keeps between requests (mock/serial-cache.ts) are never stale: after every method of a
 * protocol (each fault switched on in turn, too), every read answers exactly what it answers once all kept
 * pieces are forgotten and written afresh. Reads are the methods routed as GET.
 */
const withReads = Object.keys(protocols).filter((id) => protocols[id]!.methods.some((m) => m.route?.verb === 'GET'));

describe.each(withReads)('%s: kept answers', (id) => {
  const protocol = protocols[id]!;
  const reads = protocol.methods.filter((m) => m.route?.verb === 'GET');

  test.each([null, ...faultsOf(id).map((f) => f.name)])('after every method (fault: %s), each read answers as if written afresh', async (fault) => {
    const mock = await startMock(id, { dialect: checkedMockDialect(id, { faults: fault ? [fault] : [] }) });
    const target: TargetConfig = { name: id, protocol: id, url: mock.url, given: { ...mock.dialect.given, control: mock.controlUrl }, mock: true };
    const plan: RunPlan = { runId: 'kept', prefix: 'accord_kept', gate: 'quirk', targets: [target], selection: { kinds: [], methods: [] }, timeoutMs: 10_000 };
    const ctx = new RunContext(plan, target, protocol, 'k');
    const stale: string[] = [];
    try {
      await ctx.buildWorld();
      for (const method of protocol.methods) {
        const { params: valid } = await arrangement(method.valid(ctx.callContext()));
        await ctx.exchange(method.name, valid, ctx.arranger).catch(() => undefined);
        // Every read from what is kept, then all of them afresh (which also fills the cache for the next method).
        const calls = await Promise.all(
          reads.map(async (read) => ({ read, params: (await arrangement(read.valid(ctx.callContext()))).params })),
        );
        const kept = [];
        for (const { read, params } of calls) kept.push(text(await ctx.exchange(read.name, params, ctx.arranger)));
        forgetAllPieces();
        for (const [i, { read, params }] of calls.entries()) {
          const fresh = text(await ctx.exchange(read.name, params, ctx.arranger));
          if (kept[i] !== fresh) stale.push(`${read.name} after ${method.name}: ${kept[i]!.slice(0, 300)} … instead of ${fresh.slice(0, 300)}`);
        }
      }
    } finally {
      await ctx.teardown();
      await mock.close();
    }
    expect(stale).toEqual([]);
  }, 60_000);
});
