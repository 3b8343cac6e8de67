import { facet, type Expectation } from '../../spec/expectation.js';
import { signatureOf, type ParamSignature } from '../../spec/method.js';
import type { ParamsPolicy } from '../../spec/protocol.js';
import { envelope, errorCode, errorData, errorIs, status } from '../../wire/jsonrpc2.js';
import type { KanboardFacts } from './access.js';
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
  for (const name of signature.names) if (!(name in sent) && !(name in signature.defaults)) return `Missing argument: ${name}`;
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
  garbage: () => [GARBAGE_ANSWER],
};

/** Any parameters get a JSON-RPC reply with HTTP 200, or PHP's empty HTTP 500 when a TypeError is fatal (§3 step 8). */
const GARBAGE_ANSWER = facet('must', 'a JSON-RPC reply with HTTP 200, or the empty HTTP 500 of a PHP TypeError', (o) => {
  if (o.transport !== 'http') return o.transport === 'none' ? o.error : 'not an HTTP reply';
  if (o.status === 500) return o.text === '' ? null : `HTTP 500 with a body: ${o.text.slice(0, 80)}`;
  if (o.status !== 200) return `got HTTP ${o.status}`;
  const reply = o.json as { jsonrpc?: unknown; result?: unknown; error?: unknown } | symbol;
  if (typeof reply !== 'object' || reply === null) return `not JSON: ${o.text.slice(0, 80)}`;
  return reply.jsonrpc === '2.0' && ('result' in reply || 'error' in reply) ? null : `not a JSON-RPC reply: ${o.text.slice(0, 80)}`;
});
