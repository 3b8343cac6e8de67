import type { ProtocolSpec } from '../spec/protocol.js';
import { kanboard } from './kanboard/index.js';
import { octoprint13 } from './octoprint-1.3/index.js';
import { octoprint } from './octoprint/index.js';
import { rhodecode } from './rhodecode/index.js';
import { nymea } from './nymea/index.js';

/** Every protocol accord speaks. A new protocol is a folder beside these and one line here. */
export const protocols: Readonly<Record<string, ProtocolSpec>> = {
  kanboard,
  octoprint,
  'octoprint-1.3': octoprint13,
  rhodecode,
  nymea,
};

export function protocolById(id: string): ProtocolSpec | undefined {
  return Object.prototype.hasOwnProperty.call(protocols, id) ? protocols[id] : undefined;
}

/**
 * The dialect options of a mock started to be checked (`accord check`, selftest, fixtures): the protocol's
 * embedded-mock options (nymea: a seeded admin, short timers) under the ones given.
 */
export function checkedMockDialect(id: string, given: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return { ...protocolById(id)?.embeddedMock?.options, ...given };
}
