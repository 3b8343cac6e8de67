import { describe, expect, test } from 'vitest';
import {
  decodePacket,
  encodeCall,
  frame,
  MAX_BUFFER_BYTES,
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
