/** The JSON of a recorded reply: an HTTP body, or the first message a stream sent back. */
export function replyJson(reply: unknown): unknown {
  if (typeof reply !== 'object' || reply === null) return undefined;
  const r = reply as Record<string, unknown>;
  if ('body' in r) return r['body'];
  if (Array.isArray(r['messages'])) return r['messages'][0];
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
