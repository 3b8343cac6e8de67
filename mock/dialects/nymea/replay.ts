import type { ReplayBook } from '../../replay.js';
import type { NymeaStages } from './core.js';

/**
 * Methods that keep running on the seed state in replay mode: a client must still say Hello, log in and
 * subscribe, and these change nothing a replayed answer would contradict. (A replayed push-button request
 * starts nothing: the button has nothing to finish.)
 */
const SESSION_METHODS = new Set([
  'JSONRPC.Hello',
  'JSONRPC.Authenticate',
  'JSONRPC.SetNotificationStatus',
  'JSONRPC.KeepAlive',
  'JSONRPC.Introspect',
  'JSONRPC.Version',
]);

/** The params of the last success reply among recorded stream messages. */
function recordedParams(reply: unknown): Record<string, unknown> | undefined {
  const messages = (reply as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages)) return undefined;
  const last = messages
    .filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null && 'status' in m)
    .at(-1);
  return last?.['status'] === 'success' && typeof last['params'] === 'object' && last['params'] !== null
    ? (last['params'] as Record<string, unknown>)
    : undefined;
}

/**
 * Replay mode: every other method answers what was recorded for these params (or for its generated call),
 * and changes nothing. The order of checks before the handler (gate, validation, handshake) still runs.
 */
export function replayHandlers(stages: NymeaStages, book: ReplayBook): void {
  for (const method of Object.keys(stages.handlers)) {
    if (SESSION_METHODS.has(method)) continue;
    // A method recorded without a success (nothing in the book) answers an empty params object.
    stages.handlers[method] = ({ params }) => ({ ...recordedParams(book.find(method, params)?.reply) });
  }
}
