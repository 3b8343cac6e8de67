import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { startMock } from '../../mock/server.js';
import { exchangeHttp } from '../../src/client/http-transport.js';
import { FIXTURES_ROOT } from '../../src/commands/fixtures.js';
import { readFixtures } from '../../src/fixtures/files.js';
import { protocols } from '../../src/protocols/index.js';
import { evaluate } from '../../src/spec/expectation.js';
import { parseRequestText, type HttpRequestData } from '../../src/wire/http.js';
import { DEEP, scaled } from '../support/scale.js';
import { CODE_POINT } from '../../src/spec/mutations.js';

/**
 * The mock of every HTTP protocol under a storm of broken requests, derived from its recorded fixtures:
 * truncated and bit-flipped bodies, random bytes, deep nesting, wrong content types, huge bodies. Every
 * answer is one the real server could give (the protocol's `anyReply`), the server keeps serving, and
 * requests that are not even JSON change nothing.
 */
const HTTP_PROTOCOLS = Object.keys(protocols).filter((id) =>
  readFixtures(FIXTURES_ROOT, id).some((f) => f.wire.request.includes(' HTTP/1.1')),
);

type Storm = { kind: string; request: HttpRequestData; parses: boolean };

function parses(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

function stormOf(seeds: readonly HttpRequestData[], maxBody: number): fc.Arbitrary<Storm> {
  const seed = fc.constantFrom(...seeds);
  const withBody = (kind: string) => (r: HttpRequestData, body: string) => ({
    kind,
    request: { ...r, body },
    parses: parses(body),
  });
  return fc.oneof(
    fc
      .tuple(seed, fc.nat())
      .map(([r, n]) => withBody('truncated')(r, r.body.slice(0, r.body.length === 0 ? 0 : n % r.body.length))),
    fc.tuple(seed, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([r, n, b]) => {
      const at = r.body.length === 0 ? 0 : n % r.body.length;
      return withBody('byte flipped')(r, r.body.slice(0, at) + String.fromCharCode(b) + r.body.slice(at + 1));
    }),
    fc
      .tuple(seed, fc.string({ unit: CODE_POINT, maxLength: 200 }))
      .map(([r, junk]) => withBody('random text')(r, junk)),
    fc
      .tuple(seed, fc.integer({ min: 100, max: 5000 }))
      .map(([r, depth]) => withBody('deep nesting')(r, `${'['.repeat(depth)}${r.body}${']'.repeat(depth)}`)),
    fc
      .tuple(
        seed,
        fc.constantFrom(
          'text/html',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          '',
          'application/json; charset=latin1',
        ),
      )
      .map(([r, type]) => ({
        kind: `content type "${type}"`,
        request: { ...r, headers: { ...r.headers, 'content-type': type } },
        parses: parses(r.body),
      })),
    seed.map((r) => withBody('over the body limit')(r, `{"pad":"${'x'.repeat(maxBody + 10)}"}`)),
    seed.map((r) => withBody('empty')(r, '')),
  );
}

describe.each(HTTP_PROTOCOLS)('%s mock under a storm of broken requests', (id) => {
  const runs = scaled(400, 25_000);
  test(
    `${runs} broken requests all get answers the real server could give, and change nothing`,
    async () => {
      const maxBody = 64 * 1024;
      const logged: string[] = [];
      const mock = await startMock(id, { maxBodyBytes: maxBody, log: (line) => logged.push(line) });
      try {
        const seeds = readFixtures(FIXTURES_ROOT, id)
          .filter((f) => f.source === 'generated')
          .map((f) => parseRequestText(f.wire.request));
        const anyReply = protocols[id]!.binding.anyReply;
        const before = mock.dialect.snapshot();
        const failures: string[] = [];
        await fc.assert(
          fc.asyncProperty(stormOf(seeds, maxBody), async (storm) => {
            const exchange = await exchangeHttp(mock.url, storm.request, { timeoutMs: 5000 });
            const bad = evaluate(anyReply, exchange.observed).filter((f) => !f.ok);
            if (bad.length > 0) failures.push(`${storm.kind}: ${bad[0]?.mismatch}\n${exchange.request.slice(0, 300)}`);
            return bad.length === 0;
          }),
          { numRuns: runs, seed: 7 },
        );
        expect(failures).toEqual([]);
        // Requests that were not JSON were all rejected: the state is what it was. (Valid-JSON mutations may act.)
        const unchanged = await startMock(id, { maxBodyBytes: maxBody });
        try {
          const junkOnly = fc.sample(
            stormOf(seeds, maxBody).filter((s) => !s.parses),
            { numRuns: scaled(200, 5000), seed: 11 },
          );
          const snapshot = unchanged.dialect.snapshot();
          for (const storm of junkOnly) await exchangeHttp(unchanged.url, storm.request, { timeoutMs: 5000 });
          expect(unchanged.dialect.snapshot()).toEqual(snapshot);
        } finally {
          await unchanged.close();
        }
        expect(mock.dialect.consistency()).toEqual([]);
        // A dialect that threw would have been answered with a 500 by the host, and logged: none may have.
        expect(logged.filter((l) => l.includes('unexpected error') || l.includes('failed:'))).toEqual([]);
        expect(before).toBeDefined();
      } finally {
        await mock.close();
      }
    },
    DEEP ? 1_800_000 : 60_000,
  );

  test('many connections at once, and slow-loris clients, do not stop it serving', async () => {
    const mock = await startMock(id);
    const port = Number(new URL(mock.url).port);
    const slow: net.Socket[] = [];
    try {
      // 50 clients that send half a request and then nothing.
      for (let i = 0; i < 50; i++) {
        const s = net.connect(port, '127.0.0.1');
        s.on('error', () => undefined);
        s.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"jsonrpc":');
        slow.push(s);
      }
      const seed = parseRequestText(
        readFixtures(FIXTURES_ROOT, id).find((f) => f.source === 'generated')!.wire.request,
      );
      const answers = await Promise.all(
        Array.from({ length: scaled(300, 3000) }, () => exchangeHttp(mock.url, seed, { timeoutMs: 10_000 })),
      );
      expect(answers.filter((a) => a.observed.transport === 'none')).toEqual([]);
    } finally {
      for (const s of slow) s.destroy();
      await mock.close();
    }
  }, 90_000);
});
