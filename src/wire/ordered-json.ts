import { isKeptList, WrittenJson } from './written.js';

/**
 * JSON object key order, both ways. JavaScript objects put integer-like keys first in ascending order,
 * so `{"16":"Dave","2":"alice"}` cannot round-trip through JSON.parse/stringify. Servers whose key order
 * is part of their behaviour (Kanboard's user maps sorted by name) need these.
 */

/**
 * A pre-serialised JSON value (src/wire/written.ts), written verbatim where a reply holds it: the reply's
 * result or an element of a result list.
 */
export class RawJson extends WrittenJson {}

/** An object with its keys in exactly this order. */
export function orderedObject(entries: readonly (readonly [string, unknown])[]): RawJson {
  return new RawJson(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);
}

/** The text of each kept list (src/wire/written.ts): written once. */
const listTexts = new WeakMap<readonly unknown[], string>();

export function stringifyJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (!Array.isArray(value) || !value.some((v) => v instanceof RawJson)) return JSON.stringify(value);
  const kept = listTexts.get(value);
  if (kept !== undefined) return kept;
  const text = `[${value.map((v) => (v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : stringifyJson(v))).join(',')}]`;
  if (isKeptList(value)) listTexts.set(value, text);
  return text;
}

/** Parse JSON keeping key order: objects become Maps. Throws SyntaxError like JSON.parse. */
export function parseOrdered(text: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const fail = (): never => {
    throw new SyntaxError(`Unexpected token at position ${i}`);
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const map = new Map<string, unknown>();
      ws();
      if (text[i] === '}') return (i++, map);
      for (;;) {
        ws();
        const key = value();
        if (typeof key !== 'string') fail();
        ws();
        if (text[i++] !== ':') fail();
        map.set(key as string, value());
        ws();
        const next = text[i++];
        if (next === '}') return map;
        if (next !== ',') fail();
      }
    }
    if (c === '[') {
      i++;
      const list: unknown[] = [];
      ws();
      if (text[i] === ']') return (i++, list);
      for (;;) {
        list.push(value());
        ws();
        const next = text[i++];
        if (next === ']') return list;
        if (next !== ',') fail();
      }
    }
    // Scalars: find where this token ends and let JSON.parse read it.
    const start = i;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else {
      while (i < text.length && !',:]} \t\n\r'.includes(text[i] as string)) i++;
    }
    if (start === i) fail();
    return JSON.parse(text.slice(start, i));
  };
  const result = value();
  ws();
  if (i !== text.length) fail();
  return result;
}

/**
 * How deeply arrays and objects nest in a JSON text (1 for `{}` or `[]`), read without parsing, so that a
 * server can refuse over-deep documents the way its real counterpart's decoder does.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}
