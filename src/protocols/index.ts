import type { ProtocolSpec } from '../spec/protocol.js';
import { kanboard } from './kanboard/index.js';
import { nymea } from './nymea/index.js';

/** Every protocol accord speaks. A new protocol is a folder beside these and one line here. */
export const protocols: Readonly<Record<string, ProtocolSpec<any, any>>> = {
  kanboard,
  nymea,
};

export function protocolById(id: string): ProtocolSpec<any, any> | undefined {
  return Object.prototype.hasOwnProperty.call(protocols, id) ? protocols[id] : undefined;
}
