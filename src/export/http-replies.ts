import type { JsonObject } from './common.js';

/** An HTTP reply as fixtures and recordings keep it. */
export interface HttpReply {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: unknown;
}

export function asHttpReply(reply: unknown): HttpReply | undefined {
  if (typeof reply !== 'object' || reply === null) return undefined;
  const r = reply as JsonObject;
  if (typeof r['status'] !== 'number') return undefined;
  return {
    status: r['status'],
    contentType: typeof r['contentType'] === 'string' ? r['contentType'] : null,
    body: r['body'],
  };
}

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaTypeOf(reply: HttpReply): string {
  return (reply.contentType ?? 'application/octet-stream').split(';')[0]?.trim() || 'application/octet-stream';
}
