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
    return decoder.decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
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

/** Compare secrets without an early exit on the first different character. */
export function sameSecret(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

/** Where random bytes come from: the platform's crypto, or a seeded generator for reproducible mocks. */
export type Random = (bytes: number) => Uint8Array;

export const secureRandom: Random = (bytes) => crypto.getRandomValues(new Uint8Array(bytes));

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

export function byteLength(text: string): number {
  return encoder.encode(text).length;
}
