import type { ParamsPolicy } from '../../spec/protocol.js';
import { anyReply } from '../../wire/rhodecode.js';
import { refusal, type RhodeCodeFacts } from './access.js';
import type { RhodeCodeWorld } from './world.js';

/**
 * How RhodeCode binds arguments (rhodecode.md §1.1 step 4): after authentication, the first required
 * argument not sent gives "Missing non optional `<arg>` arg in JSON DATA"; unknown arguments are dropped
 * silently; types are never checked.
 */
export const paramsPolicy: ParamsPolicy<RhodeCodeWorld, RhodeCodeFacts> = {
  missing(_method, name) {
    // The exact text is pinned by RhodeCode's own API tests (rhodecode.md §1.1 step 4): a server that runs the
    // body without the argument refuses too, but with some other error.
    return refusal(`Missing non optional \`${name}\` arg in JSON DATA`, 'should');
  },
  extra(_method, params) {
    return { params: { ...params, accord_extra: 1 }, asValid: 'quirk' };
  },
  garbage: () => [anyReply],
  wrongType() {
    return 'RhodeCode never checks argument types: a value of another JSON type is used as it is (an integer is an id, anything else a name, true is id 1), and what it gives depends on the database; the lookup and validation cases cover the rules';
  },
};
