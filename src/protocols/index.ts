import type { ProtocolSpec } from '../spec/protocol.js';
import { kanboard } from './kanboard/index.js';
import { octoprint13 } from './octoprint-1.3/index.js';
import { octoprint } from './octoprint/index.js';
import { rhodecode } from './rhodecode/index.js';

/** Every protocol accord speaks. A new protocol is a folder beside these and one line here. */
export const protocols: Readonly<Record<string, ProtocolSpec<any, any>>> = {
  kanboard,
  octoprint,
  'octoprint-1.3': octoprint13,
  rhodecode,
};

export function protocolById(id: string): ProtocolSpec<any, any> | undefined {
  return Object.prototype.hasOwnProperty.call(protocols, id) ? protocols[id] : undefined;
}
