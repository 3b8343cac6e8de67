import type { TSchema } from 'typebox';
import { facet, onReplyOf, type Facet } from '../spec/expectation.js';
import type { Level } from '../spec/levels.js';
import type { Observed, StreamObserved } from '../spec/observed.js';
import { describeViolations, violations } from '../spec/schema.js';
import { clip, show } from '../spec/show.js';
import { isNotification, isReply } from './nymea.js';

/**
 * Facets over what a nymea client observed on a stream: the reply (the last message with a status),
 * every reply of a hand-written exchange, notifications, the raw text, and whether the server closed.
 */

type Message = Record<string, unknown>;

function streamOf(o: Observed): StreamObserved | string {
  if (o.transport === 'none') return o.error;
  if (o.transport === 'http') return `an HTTP reply (HTTP ${o.status}), not a nymea stream`;
  return o;
}

function received(o: StreamObserved): string {
  const what = o.raw.length === 0 ? 'nothing' : o.raw.map((r) => clip(r, 100)).join(' | ');
  return `${what}${o.closed ? ' (then the connection was closed)' : ''}`;
}

/** The reply of a call: the last message with a status. */
export function replyOf(o: Observed): { ok: true; reply: Message } | { ok: false; why: string } {
  const s = streamOf(o);
  if (typeof s === 'string') return { ok: false, why: s };
  const replies = s.messages.filter(isReply);
  const reply = replies.at(-1);
  return reply ? { ok: true, reply } : { ok: false, why: `no reply; received ${received(s)}` };
}

/** Every reply in order (a hand-written exchange may expect several). */
export function repliesOf(o: Observed): Message[] | string {
  const s = streamOf(o);
  return typeof s === 'string' ? s : s.messages.filter(isReply);
}

export function notificationsOf(o: Observed): Message[] | string {
  const s = streamOf(o);
  return typeof s === 'string' ? s : s.messages.filter(isNotification);
}

const onReply = onReplyOf(replyOf);

export function statusIs(status: 'success' | 'error' | 'unauthorized', level: Level = 'must'): Facet {
  return onReply(level, `status "${status}"`, (r) =>
    r['status'] === status ? null : `got status ${show(r['status'])}${'error' in r ? ` (${show(r['error'])})` : ''}`,
  );
}

/** The error text: exactly this string, or matching a pattern (a prefix, say). */
export function errorText(
  expected: string | RegExp,
  level: Level,
  explain?: (got: string) => string | undefined,
): Facet {
  const says = typeof expected === 'string' ? `error "${expected}"` : `error matching ${expected}`;
  return onReply(
    level,
    says,
    (r) => {
      const e = r['error'];
      if (typeof e !== 'string') return `got no error text (status ${show(r['status'])})`;
      const ok = typeof expected === 'string' ? e === expected : expected.test(e);
      return ok ? null : `got error ${show(e)}`;
    },
    explain ? (r) => (typeof r['error'] === 'string' ? explain(r['error']) : undefined) : undefined,
  );
}

export function idIs(id: unknown, level: Level = 'must'): Facet {
  return onReply(level, `id ${show(id)}`, (r) =>
    JSON.stringify(r['id']) === JSON.stringify(id) ? null : `got id ${show(r['id'])}`,
  );
}

export function paramsOf(r: Message): Message | undefined {
  const p = r['params'];
  return typeof p === 'object' && p !== null && !Array.isArray(p) ? (p as Message) : undefined;
}

export function paramsWhere(level: Level, says: string, test: (params: Message) => string | null): Facet {
  return onReply(level, says, (r) => {
    if (r['status'] !== 'success')
      return `got status ${show(r['status'])}${'error' in r ? ` (${show(r['error'])})` : ''}`;
    const p = paramsOf(r);
    return p ? test(p) : `params is ${show(r['params'])}, not an object`;
  });
}

export function paramsMatch(schema: TSchema, level: Level, label: string): Facet {
  return paramsWhere(level, `params are ${label}`, (p) => {
    const v = violations(schema, p);
    return v.length === 0 ? null : describeViolations(v);
  });
}

export function paramsEqual(value: unknown, level: Level): Facet {
  return paramsWhere(level, `params ${show(value)}`, (p) =>
    JSON.stringify(sortKeys(p)) === JSON.stringify(sortKeys(value)) ? null : `got ${show(p)}`,
  );
}

/** A Users result: `params.error` is this UserError name (application errors travel as successes, §2). */
export function userError(name: string, level: Level = 'must'): Facet {
  return paramsWhere(level, `params.error ${name}`, (p) => (p['error'] === name ? null : `got params ${show(p)}`));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value as Message)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

export function closed(level: Level, says = 'the server closed the connection'): Facet {
  return facet(level, says, (o) => {
    const s = streamOf(o);
    if (typeof s === 'string') return s;
    return s.closed ? null : `the connection stayed open; received ${received(s)}`;
  });
}

export function stayedOpen(level: Level, says = 'the connection stays open'): Facet {
  return facet(level, says, (o) => {
    const s = streamOf(o);
    if (typeof s === 'string') return s;
    return s.closed ? `the server closed the connection; received ${received(s)}` : null;
  });
}

/** Nothing at all came back (no reply, no notification). */
export function noMessage(level: Level, says = 'no message'): Facet {
  return facet(level, says, (o) => {
    const s = streamOf(o);
    if (typeof s === 'string') return s;
    return s.raw.length === 0 ? null : `received ${received(s)}`;
  });
}

/** Facet over every reply of a hand-written exchange, in order. */
export function repliesWhere(level: Level, says: string, test: (replies: Message[]) => string | null): Facet {
  return facet(level, says, (o) => {
    const r = repliesOf(o);
    return typeof r === 'string' ? r : test(r);
  });
}

/** Facet over the messages exactly as received (key order, trailing newline). */
export function rawWhere(level: Level, says: string, test: (raw: readonly string[]) => string | null): Facet {
  return facet(level, says, (o) => {
    const s = streamOf(o);
    if (typeof s === 'string') return s;
    return s.raw.length === 0 ? `received nothing${s.closed ? ' (the connection was closed)' : ''}` : test(s.raw);
  });
}

/** A notification of this name arrived, and (optionally) its params pass a test. */
export function notified(
  level: Level,
  name: string,
  test: (params: Message, message: Message) => string | null = () => null,
  says = `notification ${name}`,
): Facet {
  return facet(level, says, (o) => {
    const n = notificationsOf(o);
    if (typeof n === 'string') return n;
    const mine = n.filter((m) => m['notification'] === name);
    if (mine.length === 0)
      return n.length === 0
        ? 'no notification arrived'
        : `got only ${n.map((m) => String(m['notification'])).join(', ')}`;
    const problems = mine.map((m) => test(paramsOf(m) ?? {}, m));
    return problems.includes(null) ? null : (problems[0] ?? null);
  });
}

/** The params of a notification hold to a schema (the introspection data's declaration of it). */
export function notifiedMatching(level: Level, name: string, schema: TSchema, label: string): Facet {
  return notified(
    level,
    name,
    (p) => {
      const v = violations(schema, p);
      return v.length === 0 ? null : describeViolations(v);
    },
    `${name} params ${label}`,
  );
}

/** No notification whose name starts with the prefix (a namespace `Users.`, or one name). */
export function notNotified(
  level: Level,
  prefix: string,
  says = `no ${prefix}${prefix.endsWith('.') ? '*' : ''} notification`,
): Facet {
  return facet(level, says, (o) => {
    const n = notificationsOf(o);
    if (typeof n === 'string') return n;
    const got = n.filter((m) => String(m['notification']).startsWith(prefix));
    return got.length === 0 ? null : `got ${got.map((m) => clip(JSON.stringify(m), 120)).join(' | ')}`;
  });
}

/** What is wrong with one message the server sent, by the shapes of nymea.md §2; null when it is one of them. */
function envelopeProblem(message: unknown): string | null {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return 'not a JSON object';
  const m = message as Message;
  if (isNotification(m))
    return typeof m['notification'] === 'string' && paramsOf(m) && Number.isInteger(m['id'])
      ? null
      : 'a notification without a name, an integer id and params';
  if (!Number.isInteger(m['id'])) return `id ${show(m['id'])} is not an integer`;
  if (m['status'] === 'success') return paramsOf(m) && !('error' in m) ? null : 'a success without a params object';
  if (m['status'] === 'error' || m['status'] === 'unauthorized')
    return typeof m['error'] === 'string' && !('params' in m)
      ? null
      : `an ${String(m['status'])} without an error text, or with params`;
  return `status ${show(m['status'])}`;
}

/**
 * Every message is a nymea reply or notification (nymea.md §2), and a reply came; where `dropped` allows
 * it, the server may instead close the connection without one (a second failed login during a lockdown
 * loses its reply, §4).
 */
export function serverMessages(level: Level, options: { readonly dropped: boolean }): Facet {
  const says = `nymea replies and notifications only (§2), and a reply${options.dropped ? ' unless the server dropped the client (§4)' : ''}`;
  return facet(level, says, (o) => {
    const s = streamOf(o);
    if (typeof s === 'string') return s;
    for (const [i, message] of s.messages.entries()) {
      const problem = envelopeProblem(message);
      if (problem) return `${problem}: ${clip(s.raw[i] ?? '', 100)}`;
    }
    return s.messages.some(isReply) || (options.dropped && s.closed) ? null : `no reply; received ${received(s)}`;
  });
}

/** What any request may get, whatever was sent. */
export const anyServerMessage: Facet = serverMessages('must', { dropped: true });
