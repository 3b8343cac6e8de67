/**
 * Text helpers that work the same in Node and in a browser (the mock runs in msw's service worker too):
 * no Buffer, no node: modules.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function base64FromUtf8(text: string): string {
  let binary = '';
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** undefined when the input is not base64. */
export function utf8FromBase64(b64: string): string | undefined {
  try {
    const binary = atob(b64);
    // ASCII (the usual credentials) is its own UTF-8: no decoding.
    if (!/[^\x00-\x7f]/.test(binary)) return binary;
    return decoder.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** Byte order of UTF-8 text: SQLite's BINARY collation, PHP's strcmp. */
export function byteOrder(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

/**
 * Compare secrets without an early exit on the first different character. Only the length tells at once, as
 * crypto.timingSafeEqual does: a secret's length is no secret (tokens have a fixed one), and the journal asks
 * of every request whether its password is a token.
 */
export function sameSecret(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Where random bytes come from: the platform's crypto, or a seeded generator for reproducible mocks. */
export type Random = (bytes: number) => Uint8Array;

/** The platform's crypto, drawn from a pool: one system call per 4 KiB, not one per token. */
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let poolAt = 0;
export const secureRandom: Random = (bytes) => {
  if (bytes > POOL_BYTES) return crypto.getRandomValues(new Uint8Array(bytes));
  if (poolAt + bytes > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    poolAt = 0;
  }
  poolAt += bytes;
  return pool.slice(poolAt - bytes, poolAt);
};

/** Reproducible bytes (mulberry32): dialects running with `fixed` make the same tokens on every start. */
export function seededRandom(seed = 1): Random {
  let a = seed >>> 0;
  return (bytes) => {
    const out = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
    }
    return out;
  };
}

export function randomHex(bytes: number, random: Random = secureRandom): string {
  return [...random(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** UTF-8 length without encoding (a lone surrogate counts 3 bytes, as its replacement character). */
export function byteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Stands for bytes that were not UTF-8 in text decoded from a byte stream (mock/utf8-stream.ts): a lone
 * low surrogate, which decoding valid UTF-8 never yields, so a parser can tell it from any real character.
 */
export const NOT_UTF8 = '\udfff';

/** Where bytes stop being UTF-8, as Python's decoder reports it (start and end of the bad sequence). */
export interface Utf8Problem {
  readonly start: number;
  readonly end: number;
  readonly byte: number;
  readonly reason: 'invalid start byte' | 'invalid continuation byte' | 'unexpected end of data';
}

/** The first place bytes are not UTF-8 (overlong forms and encoded surrogates included), or undefined. */
export function utf8Problem(bytes: Uint8Array): Utf8Problem | undefined {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Length and the allowed range of the second byte (RFC 3629 table: no overlongs, no surrogates, ≤ U+10FFFF).
    const form =
      b >= 0xc2 && b <= 0xdf
        ? [2, 0x80, 0xbf]
        : b === 0xe0
          ? [3, 0xa0, 0xbf]
          : b === 0xed
            ? [3, 0x80, 0x9f]
            : b >= 0xe1 && b <= 0xef
              ? [3, 0x80, 0xbf]
              : b === 0xf0
                ? [4, 0x90, 0xbf]
                : b === 0xf4
                  ? [4, 0x80, 0x8f]
                  : b >= 0xf1 && b <= 0xf3
                    ? [4, 0x80, 0xbf]
                    : undefined;
    if (!form) return { start: i, end: i + 1, byte: b, reason: 'invalid start byte' };
    const [length, low, high] = form as [number, number, number];
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined) return { start: i, end: i + k, byte: b, reason: 'unexpected end of data' };
      const ok = k === 1 ? next >= low && next <= high : next >= 0x80 && next <= 0xbf;
      if (!ok) return { start: i, end: i + k, byte: b, reason: 'invalid continuation byte' };
    }
    i += length;
  }
  return undefined;
}

/** Python's UnicodeDecodeError text: `'utf-8' codec can't decode byte 0xff in position 0: invalid start byte`. */
export function pythonUtf8Error(p: Utf8Problem): string {
  const where =
    p.end - p.start === 1
      ? `byte 0x${p.byte.toString(16).padStart(2, '0')} in position ${p.start}`
      : `bytes in position ${p.start}-${p.end - 1}`;
  return `'utf-8' codec can't decode ${where}: ${p.reason}`;
}

/** A string holding half of a surrogate pair (JSON's `"\ud800"`): not Unicode text, which PHP's json_decode refuses. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}
