import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { byteLength, hasLoneSurrogate, pythonUtf8Error, secureRandom, utf8Problem } from '../../src/wire/text.js';
import { keysSorted, qtCompact } from '../../src/wire/qt-json.js';
import { CODE_POINT } from '../../src/spec/mutations.js';

describe('text helpers on the mock hot path', () => {
  test('byteLength counts what TextEncoder writes, lone surrogates included', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: CODE_POINT }),
        fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) }),
        (a, b) => {
          const text = a + b + a;
          expect(byteLength(text)).toBe(new TextEncoder().encode(text).length);
        },
      ),
    );
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
    expect(qtCompact({ b: 1, a: [{ d: undefined, c: 2 }], Z: null, é: true })).toBe(
      '{"Z":null,"a":[{"c":2}],"b":1,"é":true}',
    );
  });
});

describe('utf8Problem and pythonUtf8Error', () => {
  // Each text is what CPython 3 prints for bytes.decode('utf-8') of the same bytes.
  const cases: [number[], string][] = [
    [[0xff], "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"],
    [[0x61, 0x62, 0xe2, 0x28, 0xa1], "'utf-8' codec can't decode byte 0xe2 in position 2: invalid continuation byte"],
    [[0xe2, 0x82, 0x28], "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte"],
    [[0xe2, 0x82], "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data"],
    [[0xed, 0xa0, 0x80], "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte"],
    [[0xc0, 0xaf], "'utf-8' codec can't decode byte 0xc0 in position 0: invalid start byte"],
    [[0xf0, 0x9f, 0x98], "'utf-8' codec can't decode bytes in position 0-2: unexpected end of data"],
    [[0xf4, 0x90, 0x80, 0x80], "'utf-8' codec can't decode byte 0xf4 in position 0: invalid continuation byte"],
  ];
  it.each(cases)('%j', (bytes, text) => {
    const problem = utf8Problem(Uint8Array.from(bytes));
    expect(problem && pythonUtf8Error(problem)).toBe(text);
  });

  it('finds nothing wrong in UTF-8, emoji and all', () => {
    expect(utf8Problem(new TextEncoder().encode('plain, ünïcödé, 😀, \u{10ffff}'))).toBeUndefined();
  });

  it('tells half a surrogate pair from a whole one', () => {
    expect(hasLoneSurrogate('a\ud800')).toBe(true);
    expect(hasLoneSurrogate('\udc00b')).toBe(true);
    expect(hasLoneSurrogate('😀')).toBe(false);
  });
});
