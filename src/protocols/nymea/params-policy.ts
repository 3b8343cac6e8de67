import type { Expectation } from '../../spec/expectation.js';
import type { ParamsPolicy } from '../../spec/protocol.js';
import { TEXT, qtToString } from '../../wire/nymea.js';
import { errorText, serverMessages, statusIs } from '../../wire/nymea-facets.js';
import type { NymeaFacts } from './access.js';
import { apiMethod, parseKey, type TypeNotation } from './api.js';
import { answersError } from './define.js';
import type { NymeaWorld } from './world.js';

/**
 * nymea's params validator (nymea.md §8), run after the gate: every declared key that is not optional
 * must be there, no other key may be, and values are checked against their types. Reasons and texts:
 * - missing: `Invalid params: Missing required key: <key> in <M>, param <key>`;
 * - unknown: `Invalid params: Invalid key: <key> in <M>, param ` (with the trailing space);
 * - flags that are not a list: `Invalid params: Expected flags <F> but got <value> in <M>, param <key>.`
 * Basic types are checked differently by the Qt5 and Qt6 builds (both convert numbers to strings; Qt5 refuses
 * lists and objects, Qt6 coerces them), so wrong JSON types are only sent where both agree.
 */
const SEE = 'nymea.md §8';

/** A second failed login during a lockdown drops the client before its reply (nymea.md §4). */
const LOGINS = new Set(['JSONRPC.Hello', 'JSONRPC.Authenticate']);

function invalidParams(reason: RegExp, exact: string): Expectation {
  return [
    statusIs('error', 'must'),
    errorText(/^Invalid params: /, 'must'),
    errorText(reason, 'should'),
    errorText(exact, 'quirk'),
  ];
}

function definitionKey(method: string, name: string): [string, TypeNotation] | undefined {
  return Object.entries(apiMethod(method).params).find(([key]) => parseKey(key).name === name);
}

export const paramsPolicy: ParamsPolicy<NymeaWorld, NymeaFacts> = {
  missing(method, name) {
    const [key] = definitionKey(method.name, name) ?? [name];
    return invalidParams(/^Invalid params: Missing required key: /, TEXT.missingKey(key, method.name));
  },
  extra(method, params) {
    const sent = { ...params, accord_extra: 1 };
    return {
      params: sent,
      expect: invalidParams(
        /^Invalid params: Invalid key: accord_extra\b/,
        TEXT.invalidKey('accord_extra', method.name),
      ),
    };
  },
  wrongType(method, name, value) {
    const [, type] = definitionKey(method.name, name) ?? [];
    if (type === '$ref:PermissionScopes') {
      return invalidParams(
        /^Invalid params: Expected flags PermissionScopes\b/,
        TEXT.expectedFlags('PermissionScopes', qtToString(value), method.name, name),
      );
    }
    if (Array.isArray(type) && type[0] === 'Uuid' && !Array.isArray(value)) {
      // QVariant::toList() of a non-list is an empty list: the call passes as if no ids were given.
      return [...answersError('UserErrorNoError', 'quirk')];
    }
    return `${SEE}: nymea converts a number to the String it expects (a username -7 would be a user "-7"), and only the Qt5 build refuses a list or an object; not sent as a wrong type, so that a coerced value creates nothing (the errors cases username-number, session-id-number and session-id-list check the conversions)`;
  },
  // Qt6 builds coerce: a null username is "", the push-button user's name (nymea.md §4, §8).
  coerces: true,
  // Garbage gets a reply in nymea's envelope (an Invalid params error, a UserError, a failed login); only a
  // login may lose its reply to a drop (§4).
  garbage: (method) => [serverMessages('must', { dropped: LOGINS.has(method.name) })],
};
