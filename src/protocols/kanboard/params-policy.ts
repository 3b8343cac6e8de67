import { facet, type Expectation } from '../../spec/expectation.js';
import { signatureOf, type ParamSignature } from '../../spec/method.js';
import type { ParamsPolicy } from '../../spec/protocol.js';
import { envelope, errorCode, errorData, errorIs, status } from '../../wire/jsonrpc2.js';
import type { KanboardFacts } from './access.js';
import { PROJECT_ROLE_RANK } from './records.js';
import type { KanboardWorld } from './world.js';

/**
 * How Kanboard binds parameters (kanboard.md §3 step 7, the fguillot/JsonRPC ProcedureHandler): the count
 * is checked first (fewer than the required count: "Wrong number of arguments"; more than declared:
 * "Too many arguments"), then each declared name without a default must be present ("Missing argument:
 * <name>"). Unknown names are ignored as long as the count fits. Types are never checked.
 */
export function bindingError(signature: ParamSignature, sent: Readonly<Record<string, unknown>>): string | undefined {
  const count = Object.keys(sent).length;
  if (count < signature.required.length) return 'Wrong number of arguments';
  if (count > signature.names.length) return 'Too many arguments';
  for (const name of signature.names)
    if (!(name in sent) && !(name in signature.defaults)) return `Missing argument: ${name}`;
  return undefined;
}

export function invalidParamsReply(data: string): Expectation {
  return [
    status(200),
    envelope(),
    errorCode(-32602),
    errorIs(-32602, 'Invalid params', 'should'),
    errorData(data, 'quirk'),
  ];
}

export const paramsPolicy: ParamsPolicy<KanboardWorld, KanboardFacts> = {
  missing(method, _name, rest) {
    const error = bindingError(signatureOf(method.params), rest);
    return error ? invalidParamsReply(error) : 'the call still binds without it';
  },
  extra(method, params) {
    const sent = { ...params, accord_extra: 1 };
    const error = bindingError(signatureOf(method.params), sent);
    return error ? { params: sent, expect: invalidParamsReply(error) } : { params: sent, asValid: 'quirk' };
  },
  wrongType() {
    return 'Kanboard never checks parameter types: PHP coerces them ("2" and 2.0 both find user 2), kanboard.md §3 step 7';
  },
  // A user-API caller of a project-scoped procedure gets 403 for any project_id that is not a project
  // it is a member of (0, -1, "x", [] ...: kanboard.md §4), before parameters are looked at.
  garbage: (method) => [isProjectScoped(method.access.term) ? GARBAGE_OR_FORBIDDEN : GARBAGE_ANSWER],
};

function isProjectScoped(term: string): boolean {
  return term in PROJECT_ROLE_RANK;
}

/** Any parameters get a JSON-RPC reply with HTTP 200, or PHP's empty HTTP 500 when a TypeError is fatal (§3 step 8). */
const GARBAGE_ANSWER = facet(
  'must',
  'a JSON-RPC reply with HTTP 200, or the empty HTTP 500 of a PHP TypeError',
  (o) => {
    if (o.transport !== 'http') return o.transport === 'none' ? o.error : 'not an HTTP reply';
    if (o.status === 500) return o.text === '' ? null : `HTTP 500 with a body: ${o.text.slice(0, 80)}`;
    if (o.status !== 200) return `got HTTP ${o.status}`;
    return isReplyObject(o.json) ? null : `not a JSON-RPC reply: ${o.text.slice(0, 80)}`;
  },
);

const GARBAGE_OR_FORBIDDEN = facet(
  'must',
  'a JSON-RPC reply with HTTP 200, the 403 of a project the caller is not a member of, or the empty HTTP 500 of a PHP TypeError',
  (o) => {
    if (o.transport === 'http' && o.status === 403)
      return isReplyObject(o.json) ? null : `HTTP 403 without a JSON-RPC error: ${o.text.slice(0, 80)}`;
    return GARBAGE_ANSWER.verify(o);
  },
);

function isReplyObject(value: unknown): boolean {
  const reply = value as { jsonrpc?: unknown; result?: unknown; error?: unknown } | null;
  return (
    typeof reply === 'object' && reply !== null && reply.jsonrpc === '2.0' && ('result' in reply || 'error' in reply)
  );
}

/**
 * Whatever a client sends: a JSON-RPC reply or batch (HTTP 200), an empty 200 (notifications), a 401 or
 * 403 JSON-RPC error, or PHP's empty 500 (kanboard.md §1).
 */
export const ANY_REPLY = facet(
  'must',
  'a JSON-RPC reply or batch, an empty 200, a 401/403 error, or an empty 500',
  (o) => {
    if (o.transport !== 'http') return o.transport === 'none' ? o.error : 'not an HTTP reply';
    if (o.status === 500 || (o.status === 200 && o.text === ''))
      return o.text === '' ? null : `HTTP ${o.status} with a body: ${o.text.slice(0, 80)}`;
    if (![200, 401, 403].includes(o.status)) return `got HTTP ${o.status}`;
    const ok = Array.isArray(o.json)
      ? o.status === 200 && o.json.length > 0 && o.json.every(isReplyObject)
      : isReplyObject(o.json);
    return ok ? null : `not a JSON-RPC reply: ${o.text.slice(0, 80)}`;
  },
);
