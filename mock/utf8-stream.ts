import { isUtf8 } from 'node:buffer';
import { NOT_UTF8, utf8Problem } from '../src/wire/text.js';

/**
 * Text from a byte stream (a TCP connection), as a server that works on bytes would see it: a character
 * split across two chunks is joined, and bytes that are not UTF-8 become NOT_UTF8 (one per bad sequence)
 * instead of vanishing into U+FFFD, so that a parser can refuse them where the real one does.
 */
export class Utf8Stream {
  #carry: Buffer | undefined;

  push(chunk: Buffer): string {
    let bytes = this.#carry ? Buffer.concat([this.#carry, chunk]) : chunk;
    this.#carry = undefined;
    // Hold back a sequence the chunk ends in the middle of (at most 3 bytes): the next chunk completes it.
    const cut = incompleteTail(bytes);
    if (cut < bytes.length) {
      this.#carry = Buffer.from(bytes.subarray(cut));
      bytes = bytes.subarray(0, cut);
    }
    if (isUtf8(bytes)) return bytes.toString('utf8');
    let text = '';
    let at = 0;
    while (at < bytes.length) {
      const problem = utf8Problem(bytes.subarray(at));
      if (!problem) {
        text += bytes.toString('utf8', at);
        break;
      }
      text += bytes.toString('utf8', at, at + problem.start) + NOT_UTF8;
      at += problem.end;
    }
    return text;
  }
}

/** Where an unfinished UTF-8 sequence at the end begins (the length when there is none). */
function incompleteTail(bytes: Buffer): number {
  for (let k = 1; k <= Math.min(3, bytes.length); k++) {
    const b = bytes[bytes.length - k] as number;
    if ((b & 0xc0) === 0x80) continue;
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > k ? bytes.length - k : bytes.length;
  }
  return bytes.length;
}
