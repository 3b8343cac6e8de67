import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { byteLength, secureRandom } from '../../src/wire/text.js';
import { keysSorted, qtCompact } from '../../src/wire/qt-json.js';

describe('text helpers on the mock hot path', () => {
  test('byteLength counts what TextEncoder writes, lone surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) }), (a, b) => {
      const text = a + b + a;
      expect(byteLength(text)).toBe(new TextEncoder().encode(text).length);
    }));
  });

  test('secureRandom hands out fresh bytes from its pool, and any size', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) seen.add(Buffer.from(secureRandom(16)).toString('hex'));
    expect(seen.size).toBe(1000);
    expect(secureRandom(10_000)).toHaveLength(10_000);
  });

  test('qtCompact writes what JSON.stringify writes, with keys in UTF-16 order at every level', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const written = qtCompact(value);
        expect(JSON.parse(written)).toEqual(JSON.parse(JSON.stringify(value) ?? 'null'));
        expect(written.length).toBe((JSON.stringify(value) ?? 'null').length);
        if (typeof value === 'object' && value !== null) expect(keysSorted(written)).toBe(true);
      }),
    );
    expect(qtCompact({ b: 1, a: [{ d: undefined, c: 2 }], Z: null, é: true })).toBe('{"Z":null,"a":[{"c":2}],"b":1,"é":true}');
  });
});
