import { MAX_BUFFER_BYTES } from '../../../src/wire/nymea.js';
import { parseQtJson } from '../../../src/wire/qt-json.js';

/**
 * nymea 1.15's transport router (libnymea-core/transportrouter.cpp): it sits between the TCP/WebSocket
 * servers and the JSON-RPC server and reads the first message of every new connection to pick a protocol.
 * Its buffer is parsed whole (Qt's QJsonDocument) each time bytes arrive:
 * - a document: that is the first message;
 * - a document followed by more: the document is the first message, the rest is handed on after routing
 *   (so two Hellos joined by `\r\n` are both answered, unlike after routing, nymea.md §1);
 * - anything else waits while the buffer, trimmed, does not end in `}` and is at most 1 MiB; otherwise the
 *   connection is closed without a word.
 * The first message's `method` (a JSON string, else "") then picks the protocol; the dialect decides which
 * methods route (NymeaStages.selectProtocol).
 */
export type FirstMessage =
  | { readonly kind: 'wait' }
  | { readonly kind: 'close'; readonly why: string }
  | {
      readonly kind: 'message';
      readonly method: string;
      readonly value: unknown;
      readonly first: string;
      readonly rest: string;
    };

/** The protocols a first message can select. */
export type RoutedProtocol = 'json-rpc' | 'transfer';

/** QByteArray::trimmed's whitespace. */
const TRAILING_SPACE = /[ \t\n\v\f\r]+$/;

function byteLength(text: string): number {
  // A UTF-16 unit is at most 3 bytes of UTF-8: a short buffer need not be counted.
  return text.length * 3 <= MAX_BUFFER_BYTES ? text.length : Buffer.byteLength(text, 'utf8');
}

function methodOf(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '';
  const method = (value as Record<string, unknown>)['method'];
  return typeof method === 'string' ? method : '';
}

/** `added`: the text that just arrived. Without a `}` or `]` it cannot complete a document: no parse then. */
export function firstMessage(buffer: string, added: string = buffer): FirstMessage {
  if (!/[}\]]/.test(added))
    return byteLength(buffer) > MAX_BUFFER_BYTES
      ? { kind: 'close', why: 'more than 1 MiB before a protocol was selected' }
      : { kind: 'wait' };
  const parsed = parseQtJson(buffer);
  if (parsed.ok)
    return { kind: 'message', method: methodOf(parsed.value), value: parsed.value, first: buffer, rest: '' };
  if (parsed.offset !== undefined) {
    const first = buffer.slice(0, parsed.offset);
    const again = parseQtJson(first);
    if (!again.ok) return { kind: 'close', why: `failed to parse the protocol selector: ${again.error}` };
    return {
      kind: 'message',
      method: methodOf(again.value),
      value: again.value,
      first,
      rest: buffer.slice(parsed.offset),
    };
  }
  if (byteLength(buffer) > MAX_BUFFER_BYTES)
    return { kind: 'close', why: 'more than 1 MiB before a protocol was selected' };
  if (!buffer.replace(TRAILING_SPACE, '').endsWith('}')) return { kind: 'wait' };
  return { kind: 'close', why: `failed to parse the protocol selector: ${parsed.error}` };
}
