import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { startMock, type MockServer } from '../../mock/server.js';
import { FIXTURES_ROOT } from '../../src/commands/fixtures.js';
import { readFixtures } from '../../src/fixtures/files.js';
import { checkedMockDialect, protocols } from '../../src/protocols/index.js';
import { evaluate } from '../../src/spec/expectation.js';
import type { Exchange, Session } from '../../src/spec/session.js';
import { DEEP, scaled } from '../support/scale.js';
import { connectSession } from '../../src/client/connect.js';
import { CODE_POINT } from '../../src/spec/mutations.js';

/**
 * The mock of every stream protocol (nymea: TCP and WebSocket) under a storm of broken messages, derived
 * from its recorded fixtures: truncated and byte-flipped messages, random text, deep nesting, messages cut
 * into slow pieces, bad separators, binary frames. Each storm is followed by a request the server rejects,
 * so that every storm must end in a reply (or a close, as the real server may): every message that comes
 * back is one the real server could send (the protocol's `anyReply`), the server keeps serving, and storms
 * that are not even JSON change nothing. Then many connections at once, idle and half-sent ones among them.
 */
const STREAM_PROTOCOLS = Object.keys(protocols).filter((id) =>
  readFixtures(FIXTURES_ROOT, id).some((f) => Array.isArray((f.reply as { messages?: unknown }).messages)),
);

type Call = { id: number; method: string; params: unknown };
type Storm = { kind: string; pieces: string[]; gapMs: number; binary: boolean; transport: number; parses: boolean };

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function stormOf(seeds: readonly string[]): fc.Arbitrary<Storm> {
  const seed = fc.constantFrom(...seeds);
  const storm = (kind: string, text: string, extra: Partial<Storm> = {}): Omit<Storm, 'transport'> => ({
    kind,
    pieces: [`${text}\n`],
    gapMs: 0,
    binary: false,
    parses: parses(text),
    ...extra,
  });
  const kinds = fc.oneof(
    fc.tuple(seed, fc.nat()).map(([s, n]) => storm('truncated', s.slice(0, n % s.length))),
    fc.tuple(seed, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([s, n, b]) => {
      const at = n % s.length;
      return storm('byte flipped', s.slice(0, at) + String.fromCharCode(b) + s.slice(at + 1));
    }),
    fc.string({ unit: CODE_POINT, maxLength: 200 }).map((junk) => storm('random text', junk)),
    fc
      .tuple(seed, fc.integer({ min: 100, max: 5000 }))
      .map(([s, depth]) => storm('deep nesting', `${'{"a":'.repeat(depth)}${s}${'}'.repeat(depth)}`)),
    fc
      .tuple(seed, seed, fc.constantFrom('\r\n', '\n\n', ' \n', ''))
      .map(([a, b, sep]) => storm(`two messages joined by ${JSON.stringify(sep)}`, `${a}${sep}${b}`)),
    fc.tuple(seed, fc.integer({ min: 2, max: 6 })).map(([s, n]) => {
      const size = Math.ceil(s.length / n);
      const pieces = Array.from({ length: n }, (_, i) => s.slice(i * size, (i + 1) * size));
      pieces[pieces.length - 1] += '\n';
      return { ...storm('sent in slow pieces', s), pieces, gapMs: 15 };
    }),
    seed.map((s) => storm('a binary frame (WebSocket)', s, { binary: true })),
  );
  return fc.tuple(kinds, fc.nat()).map(([s, transport]) => ({ ...s, transport }));
}

/** Did the server take a message of the storm as a request: a reply of its own (not the follow-up's) that reads as a success? */
function acceptedOwnMessage(id: string, exchange: Exchange, followUpId: number): boolean {
  const o = exchange.observed;
  if (o.transport !== 'tcp' && o.transport !== 'ws') return false;
  const binding = protocols[id]!.binding;
  return o.messages.some(
    (m) => (m as { id?: unknown }).id !== followUpId && binding.outcome({ ...o, messages: [m] }).ok,
  );
}

/** The arranging identity's session on each endpoint of the mock (nymea: TCP and WebSocket). */
async function sessionsOf(id: string, mock: MockServer): Promise<Session[]> {
  const protocol = protocols[id]!;
  const given = { ...mock.dialect.given, control: mock.controlUrl };
  const arranger = protocol.identities.find((i) => i.id === protocol.arrangers[0])!;
  return Promise.all(
    mock.urls.map((url) =>
      connectSession(protocol.binding, url, arranger.credentials(undefined, given), {
        timeoutMs: 5000,
        given,
        prefix: 'accord_storm0',
      }),
    ),
  );
}

/** The session's current token, so that a storm written as text passes the token check and goes deeper. */
function tokenOf(session: Session): string {
  return String((session as unknown as { token?: unknown }).token ?? '');
}

function callsOf(id: string): { seeds: Call[]; rejected: Call } {
  const fixtures = readFixtures(FIXTURES_ROOT, id).filter((f) => f.source === 'generated');
  const seeds = fixtures.map((f, i) => ({ id: 1000 + i, method: f.method, params: f.params }));
  // A request every server rejects (a required parameter left out): it ends each storm with a reply.
  const missing = fixtures.find((f) => f.case.startsWith('missing-'))!;
  return { seeds, rejected: { id: 999, method: missing.method, params: missing.params } };
}

async function blow(sessions: readonly Session[], storm: Storm, rejected: Call) {
  const session = sessions[storm.transport % sessions.length]!;
  const token = tokenOf(session);
  const pieces = storm.pieces.map((p) => p.replaceAll('"token":"TOKEN"', `"token":${JSON.stringify(token)}`));
  const followUp = { send: [{ ...rejected }], withToken: true, replies: 1, settleMs: 30 };
  if (storm.binary) {
    // Binary frames exist only on WebSocket (a TCP session refuses to send one); then the follow-up as text.
    await session.raw({ send: pieces, binary: true, replies: 0, settleMs: 30 }).catch((error: Error) => {
      if (!/binary frames/.test(error.message)) throw error;
    });
    return session.raw(followUp);
  }
  return session.raw({ ...followUp, send: [...pieces, { ...rejected }], gapMs: storm.gapMs });
}

describe.each(STREAM_PROTOCOLS)('%s mock under a storm of broken messages', (id) => {
  const runs = scaled(300, 10_000);

  test(
    `${runs} broken messages all get answers the real server could give, and change nothing`,
    async () => {
      const logged: string[] = [];
      const mock = await startMock(id, { dialect: checkedMockDialect(id), log: (line) => logged.push(line) });
      try {
        const { seeds, rejected } = callsOf(id);
        const texts = seeds.map((c) => JSON.stringify({ ...c, token: 'TOKEN' }));
        const sessions = await sessionsOf(id, mock);
        const anyReply = protocols[id]!.binding.anyReply;
        const failures: string[] = [];
        await fc.assert(
          fc.asyncProperty(stormOf(texts), async (storm) => {
            const exchange = await blow(sessions, storm, rejected);
            const bad = evaluate(anyReply, exchange.observed).filter((f) => !f.ok);
            if (bad.length > 0) failures.push(`${storm.kind}: ${bad[0]?.mismatch}\n${exchange.request.slice(0, 300)}`);
            return bad.length === 0;
          }),
          { numRuns: runs, seed: 7 },
        );
        expect(failures).toEqual([]);
        expect(mock.dialect.consistency()).toEqual([]);
        // The mock logs what it closes for (over 1 MiB); a handler that threw would be logged too.
        expect(logged.filter((l) => /unexpected|failed|error/i.test(l))).toEqual([]);
        await Promise.all(sessions.map((s) => s.close()));

        // Storms that are not JSON, and that the server rejects, leave the state as it was. (A server's parser may
        // read more than JSON.parse does: Qt takes raw control characters in strings, so a flipped byte in a
        // password still creates the user. Such a storm got a success reply of its own and is not compared.)
        const unchanged = await startMock(id, { dialect: checkedMockDialect(id) });
        try {
          const fresh = await sessionsOf(id, unchanged);
          const junk = fc.sample(
            stormOf(texts).filter((s) => !s.parses),
            { numRuns: scaled(100, 5000), seed: 11 },
          );
          let compared = 0;
          for (const storm of junk) {
            const before = JSON.stringify(unchanged.dialect.snapshot());
            const exchange = await blow(fresh, storm, rejected);
            if (acceptedOwnMessage(id, exchange, rejected.id)) continue;
            compared += 1;
            expect(
              JSON.stringify(unchanged.dialect.snapshot()),
              `a rejected storm (${storm.kind}) changed the state:\n${exchange.request.slice(0, 300)}`,
            ).toBe(before);
          }
          // Nearly all junk is rejected; a test that compared almost nothing would prove nothing.
          expect(compared).toBeGreaterThan(junk.length * 0.9);
          await Promise.all(fresh.map((s) => s.close()));
        } finally {
          await unchanged.close();
        }
      } finally {
        await mock.close();
      }
    },
    DEEP ? 3_600_000 : 90_000,
  );

  test('many connections at once, idle and half-sent ones among them, and one over 1 MiB, do not stop it serving', async () => {
    const mock = await startMock(id, { dialect: checkedMockDialect(id) });
    const idle: (net.Socket | WebSocket)[] = [];
    try {
      for (const url of mock.urls) {
        const u = new URL(url);
        for (let i = 0; i < 25; i++) {
          if (u.protocol === 'tcp:') {
            const s = net.connect(Number(u.port), '127.0.0.1');
            s.on('error', () => undefined);
            // Half a message, then nothing: the server keeps it in its buffer.
            if (i % 2 === 0) s.write('{"id":1,"method":"JSONRPC.He');
            idle.push(s);
          } else {
            const w = new WebSocket(url);
            w.on('error', () => undefined);
            idle.push(w);
          }
        }
      }
      // Over the 1 MiB buffer with no message in it: the server closes that connection, nothing more.
      const [first] = await sessionsOf(id, mock);
      const huge = await first!.raw({
        send: [`{"id":5,"method":"JSONRPC.Hello","params":{"x":"${'x'.repeat(1_100_000)}"`],
        replies: 0,
        settleMs: 2000,
      });
      expect(huge.observed).toMatchObject({ closed: true, messages: [] });
      await first!.close();

      const { seeds } = callsOf(id);
      const sessions = await Promise.all(Array.from({ length: scaled(20, 200) }, () => sessionsOf(id, mock)));
      const answers = await Promise.all(
        sessions
          .flat()
          .map((s, i) => s.call(seeds[i % seeds.length]!.method, seeds[i % seeds.length]!.params as never)),
      );
      expect(answers.filter((a) => a.observed.transport === 'none').map((a) => a.response)).toEqual([]);
      await Promise.all(sessions.flat().map((s) => s.close()));
      expect(mock.dialect.consistency()).toEqual([]);
    } finally {
      for (const s of idle) s instanceof WebSocket ? s.terminate() : s.destroy();
      await mock.close();
    }
  }, 120_000);
});
