import { describe, expect, test } from 'vitest';
import {
  decodePacket,
  encodeCall,
  frame,
  MAX_BUFFER_BYTES,
  qtNumberToString,
  qtToInt,
  Reframer,
  success,
  TEXT,
  unauthorized,
} from '../../src/wire/nymea.js';
import { keysSorted, parseQtJson, qtCompact } from '../../src/wire/qt-json.js';

/** The nymea wire format's tricky parts, against the examples of nymea.md §1–§3. */

describe('inbound re-framing (nymea.md §1)', () => {
  const packets = (...chunks: string[]) => {
    const r = new Reframer();
    return chunks.flatMap((c) => r.push(c).packets);
  };

  test('splits only at exactly "}\\n{", and a rest ending in } is a packet', () => {
    expect(packets('{"a":1}\n{"b":2}\n')).toEqual(['{"a":1}', '{"b":2}\n']);
    expect(packets('{"a":1}')).toEqual(['{"a":1}']);
    expect(packets('{"a":1}\n\n\n')).toEqual(['{"a":1}\n\n\n']);
  });

  test('\\r\\n, a blank line or a space between messages makes them one document', () => {
    expect(packets('{"a":1}\r\n{"b":2}\r\n')).toEqual(['{"a":1}\r\n{"b":2}\r\n']);
    expect(packets('{"a":1}\n\n{"b":2}')).toEqual(['{"a":1}\n\n{"b":2}']);
    expect(packets('{"a":1} \n{"b":2}')).toEqual(['{"a":1} \n{"b":2}']);
  });

  test('fragments are kept until they end in }, even when that is too early', () => {
    expect(packets('{"id":1,"me', 'thod":"x"}\n')).toEqual(['{"id":1,"method":"x"}\n']);
    expect(packets('{"p":{"x":1}', '}')).toEqual(['{"p":{"x":1}', '}']);
  });

  test('a top-level array never ends in } and stays in the buffer', () => {
    const r = new Reframer();
    expect(r.push('[{"id":1}]\n').packets).toEqual([]);
    expect(r.pending).toBe('[{"id":1}]\n');
  });

  test('more than 1 MiB without a packet is an overflow', () => {
    const r = new Reframer();
    expect(r.push('{"x":"'.padEnd(MAX_BUFFER_BYTES, 'x')).overflow).toBe(false);
    expect(r.push('xx').overflow).toBe(true);
  });
});

describe('Qt JSON (nymea.md §3 step 1)', () => {
  test.each([
    ['{"id":1,"method":x}', 'illegal number'],
    ['{"id":1,}', 'object is missing after a comma'],
    ['{"id":1,"params":{}', 'unterminated object'],
    ['{"a" 1}', 'missing name separator'],
    ['{"a":[1 2]}', 'missing value separator'],
    ['{"a":"b}', 'unterminated string'],
    ['{"a":"\\u12"}', 'invalid escape sequence'],
    ['{"a":nul}', 'illegal value'],
    ['{"a":1', 'invalid termination by number'],
    ['{"a":1}\r\n{"b":2}', 'garbage at the end of the document'],
    ['}', 'illegal value'],
    ['"text"', 'illegal value'],
    [`{"a":${'['.repeat(1100)}${']'.repeat(1100)}}`, 'too deeply nested document'],
  ])('%s fails with "%s"', (text, error) => {
    expect(parseQtJson(text)).toMatchObject({ ok: false, error });
  });

  test.each([
    '{"a":1e400}',
    '{"a":-1.8e308}',
    '{"a":2e-324}',
    `{"a":0.${'0'.repeat(400)}1}`,
    `{"a":1${'0'.repeat(400)}}`,
  ])('a number outside the double range is an illegal number (a real nymead 1.15.2): %s', (text) => {
    expect(parseQtJson(text)).toMatchObject({ ok: false, error: 'illegal number' });
  });

  test('numbers at the edges of the double range and zeros with any exponent parse', () => {
    expect(parseQtJson('{"a":[3e-324,0e400,0.0e999,1e308,1.7976931348623157e308]}')).toEqual({
      ok: true,
      value: { a: [5e-324, 0, 0, 1e308, 1.7976931348623157e308] },
    });
  });

  test('garbage at the end says where it starts, after the whitespace (QJsonParseError::offset)', () => {
    expect(parseQtJson('{"a":1}\r\n{"b":2}')).toEqual({
      ok: false,
      error: 'garbage at the end of the document',
      offset: 9,
    });
  });

  test('valid documents parse, unknown escapes are lenient, __proto__ is an ordinary key', () => {
    expect(parseQtJson(' {"a":[1,2.5,-3e2,true,false,null],"b":"\\q\\n"} ')).toEqual({
      ok: true,
      value: { a: [1, 2.5, -300, true, false, null], b: 'q\n' },
    });
    const parsed = parseQtJson('{"__proto__":{"x":1}}');
    expect(parsed.ok && Object.getPrototypeOf(parsed.value)).toBe(Object.prototype);
  });

  test('compact output sorts keys at every level', () => {
    expect(qtCompact({ status: 'success', params: { username: 'a', error: 'x' }, id: 3 })).toBe(
      '{"id":3,"params":{"error":"x","username":"a"},"status":"success"}',
    );
    expect(keysSorted('{"id":1,"params":{"b":1,"a":2},"status":"x"}')).toBe(false);
    expect(keysSorted('{"id":1,"params":{"a":2,"b":[{"c":1,"d":2}]},"status":"x"}')).toBe(true);
  });
});

describe('Qt 5 conversions, as a real nymead 1.15.2 answers them', () => {
  test.each([
    [2147483647, 2147483647],
    [2147483648, -2147483648],
    [4294967297, 1],
    [1e10, 1410065408],
    [-2147483649, 2147483647],
    [1.5, 2],
    [2.5, 3],
    [-1.5, -1],
    [-2.5, -2],
    [0.49999, 0],
    [1e300, 0],
    [true, 1],
    [false, 0],
    [' 12 ', 12],
    ['+12', 12],
    ['2147483648', -2147483648],
    ['1.5', undefined],
    ['0x10', undefined],
    ['', undefined],
    [null, undefined],
    [[1], undefined],
  ])('QVariant::toInt of %j is %j', (value, int) => {
    expect(qtToInt(value)).toBe(int);
  });

  test.each([
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [2.5e-5, '2.5e-05'],
    [1e-7, '1e-07'],
    [0.00012345, '0.00012345'],
    [3.14159, '3.14159'],
    [1e17, '100000000000000000'],
    [12345678901234e5, '1234567890123399936'],
    [1e19, '1e+19'],
    [1.5e20, '1.5e+20'],
    [123456789012345680000, '123456789012345680000'],
    [1.23456e20, '1.23456e+20'],
    [1e21, '1e+21'],
    [-1e-5, '-1e-05'],
    [-0, '0'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
  ])('QVariant::toString of the number %d is "%s"', (n, text) => {
    expect(qtNumberToString(n)).toBe(text);
  });
});

describe('the first checks of a packet (nymea.md §3 steps 1–3)', () => {
  test('a parse error, a missing or unusable id, a bad method shape', () => {
    expect(decodePacket('{')).toEqual({ kind: 'parse-error', error: 'unterminated object' });
    expect(decodePacket('{"method":"JSONRPC.Hello"}')).toEqual({ kind: 'no-id' });
    expect(decodePacket('{"id":"abc","method":"JSONRPC.Hello"}')).toEqual({ kind: 'no-id' });
    expect(decodePacket('[{"id":1}]\n}')).toEqual({ kind: 'parse-error', error: 'garbage at the end of the document' });
    expect(decodePacket('{"id":"42","method":"Hello"}')).toEqual({ kind: 'bad-method', id: 42, method: 'Hello' });
    expect(decodePacket('{"id":1}')).toEqual({ kind: 'bad-method', id: 1, method: '' });
    expect(TEXT.badMethod('Hello')).toBe("Error parsing method. Got: 'Hello'', Expected: 'Namespace.method'");
  });

  test('a request: params that are not an object read as {}, the token is top level', () => {
    const d = decodePacket('{"id":7,"method":"Users.GetUsers","params":5,"token":"abc","jsonrpc":"2.0"}');
    expect(d).toEqual({
      kind: 'request',
      id: 7,
      request: { id: 7, name: 'Users.GetUsers', namespace: 'Users', method: 'GetUsers', params: {}, token: 'abc' },
    });
  });

  test('replies are framed with sorted keys and a newline; the client writes the token at the top level', () => {
    expect(frame(success(1, { b: 1, a: 2 }))).toBe('{"id":1,"params":{"a":2,"b":1},"status":"success"}\n');
    expect(frame(unauthorized(2, TEXT.invalidToken))).toBe(
      '{"error":"Forbidden: Invalid token.","id":2,"status":"unauthorized"}\n',
    );
    expect(encodeCall({ id: 3, method: 'Users.GetUsers', token: 't' })).toBe(
      '{"id":3,"method":"Users.GetUsers","token":"t"}\n',
    );
    expect(encodeCall({ id: 3, method: 'JSONRPC.Hello', token: '' })).toBe('{"id":3,"method":"JSONRPC.Hello"}\n');
  });
});
