import type { Outcome } from '../../../spec/context.js';
import type { Expectation } from '../../../spec/expectation.js';
import type { Params } from '../../../spec/method.js';
import type { ScenarioContext } from '../../../spec/protocol.js';
import type { Exchange, Session } from '../../../spec/session.js';
import { notificationsOf } from '../../../wire/nymea-facets.js';
import { binding } from '../binding.js';
import type { NymeaCredentials, NymeaRawRequest } from '../session.js';
import { login } from '../world.js';
import type { NymeaWorld } from '../world.js';

/** Helpers for nymea scenarios: calls on sessions of their own, notifications seen after a barrier. */
export type S = ScenarioContext<NymeaWorld>;

export const as = (credentials: NymeaCredentials) => ({ credentials });

function note(s: S, step: string, exchange: Exchange, expect: Expectation): void {
  s.expect(step, exchange.observed, expect, { request: exchange.request, response: exchange.response });
}

/** Call on a session of the scenario's own and hold the reply to an expectation. */
export async function step(
  s: S,
  session: Session,
  name: string,
  method: string,
  params: Params,
  expect: Expectation,
): Promise<Outcome> {
  const exchange = await session.call(method, params);
  note(s, name, exchange, expect);
  return binding.outcome(exchange.observed);
}

/** A hand-written exchange on a session, held to an expectation. */
export async function rawStep(
  s: S,
  session: Session,
  name: string,
  request: NymeaRawRequest,
  expect: Expectation,
): Promise<Exchange> {
  const exchange = await session.raw(request);
  note(s, name, exchange, expect);
  return exchange;
}

/**
 * What a session received unasked up to now. A KeepAlive first: the server writes a notification to every
 * listener before it answers the call that caused it, so by the time this session's own reply arrives,
 * whatever was meant for it has arrived too (nymea is one event loop; TCP and WebSocket keep order).
 */
export async function seen(session: Session): Promise<Exchange> {
  await session.call('JSONRPC.KeepAlive', { sessionId: 'accord-barrier' });
  if (!session.unasked) throw new Error('not a stream session: it cannot receive notifications');
  return session.unasked();
}

export async function expectSeen(s: S, session: Session, name: string, expect: Expectation): Promise<Exchange> {
  const exchange = await seen(session);
  note(s, name, exchange, expect);
  return exchange;
}

export async function waitFor(
  s: S,
  session: Session,
  name: string,
  match: (m: Record<string, unknown>) => boolean,
  timeoutMs: number,
  expect: Expectation,
): Promise<Exchange> {
  if (!session.waitFor) throw new Error('not a stream session: it cannot receive notifications');
  const exchange = await session.waitFor(
    (m) => typeof m === 'object' && m !== null && match(m as Record<string, unknown>),
    timeoutMs,
  );
  note(s, name, exchange, expect);
  return exchange;
}

/** The notifications in an exchange, as objects. */
export function notifications(exchange: Exchange): Record<string, unknown>[] {
  const n = notificationsOf(exchange.observed);
  return typeof n === 'string' ? [] : n;
}

/** A session subscribed to these namespaces. */
export async function listener(
  s: S,
  credentials: NymeaCredentials | string,
  namespaces: readonly string[],
): Promise<Session> {
  const session = await s.open(typeof credentials === 'string' ? credentials : as(credentials));
  const reply = binding.outcome(
    (await session.call('JSONRPC.SetNotificationStatus', { namespaces: [...namespaces] })).observed,
  );
  if (!reply.ok) throw new Error(`could not subscribe to ${namespaces.join(', ')}: ${reply.error}`);
  return session;
}

/** A user of the run's own, logged in once: its name, password and token. */
export async function madeUser(
  s: S,
  options: Readonly<Record<string, unknown>> = {},
): Promise<{ name: string; password: string; token: string }> {
  const u = await s.create('user', options);
  const password = String(u['password']);
  return { name: u.name, password, token: await login(s, u.name, password) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
