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

export function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function byteLength(text: string): number {
  return encoder.encode(text).length;
}
