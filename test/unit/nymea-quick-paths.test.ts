import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { failure, frame, success, unauthorized } from '../../src/wire/nymea.js';
import { leaveParsed } from '../../src/wire/parsed-once.js';
import { parseQtJson, parseQtJsonStepwise, qtCompact } from '../../src/wire/qt-json.js';
import { NOT_UTF8 } from '../../src/wire/text.js';

/** The quick ways of the nymea wire give what the step-by-step ones give, on any input. */

const texts = fc.oneof(
  fc.json(),
  fc.json().map((t) => `{"a":${t}}`),
  fc.json().map((t) => ` [${t}, ${t}]\r\n`),
  // Near-JSON: cut, doubled, with a bad byte, a BOM, a repeated or __proto__ key, unknown escapes.
  fc.tuple(fc.json(), fc.nat()).map(([t, n]) => `{"a":${t}}`.slice(0, n % 40)),
  fc.json().map((t) => `{"a":${t}}\n{"b":1}`),
  fc.json().map((t) => `{"a":"${NOT_UTF8}","b":${t}}`),
  fc.json().map((t) => `\ufeff{"a":${t}}`),
  fc.json().map((t) => `{"a":1,"__proto__":${t},"a":${t}}`),
  fc.constantFrom('{"a":"\\q"}', '{"a":1.}', '{"a":01}', '{"a":-}', '{"a":"\u0001"}', '{}', '[]', '"x"', '1'),
  fc.string(),
);

describe('parseQtJson', () => {
  test('takes the same value or fails the same way as Qt parsed step by step', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(parseQtJson(text)).toStrictEqual(parseQtJsonStepwise(text));
      }),
      { numRuns: 3000 },
    );
  });

  test('a parse left by the journal is taken once, for that text only', () => {
    const text = '{"id":1,"method":"JSONRPC.Hello"}\n';
    const left = { id: 1, method: 'JSONRPC.Hello' };
    leaveParsed(text, left);
    const first = parseQtJson(text);
    expect(first.ok && first.value).toBe(left);
    const again = parseQtJson(text);
    expect(again.ok && again.value).not.toBe(left);
    expect(again).toStrictEqual(first);
    leaveParsed('{"id":2}', { id: 2 });
    expect(parseQtJson(text)).toStrictEqual({ ok: true, value: left });
  });
});

describe('frame', () => {
  const values = fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()));
  test('writes the envelopes as qtCompact does, and any other object too', () => {
    fc.assert(
      fc.property(fc.integer(), values, fc.string(), fc.dictionary(fc.string(), values), (id, params, text, other) => {
        const object = (typeof params === 'object' && params !== null ? params : { v: params }) as Record<
          string,
          unknown
        >;
        for (const message of [
          success(id, object),
          failure(id, text),
          unauthorized(id, text),
          { id, notification: text, params: object },
          { ...other, id, status: 'success' as const, params: object },
          other as never,
        ])
          expect(frame(message)).toBe(`${qtCompact(message)}\n`);
      }),
      { numRuns: 1000 },
    );
  });
});
