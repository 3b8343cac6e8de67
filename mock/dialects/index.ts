import type { Dialect } from '../dialect.js';
import { createKanboardDialect, type KanboardOptions } from './kanboard/index.js';
import { createOctoPrint13Dialect, type Options13 } from './octoprint-1.3/index.js';
import { createOctoPrintDialect, type OctoPrintOptions } from './octoprint/index.js';
import { createRhodeCodeDialect, type RhodeCodeOptions } from './rhodecode/index.js';
import { createNymeaDialect, type NymeaOptions } from './nymea/index.js';

/**
 * Every protocol's mock, by protocol id. A new protocol adds its factory here.
 * Options are the dialect's own (seed, tokens, faults); unknown keys are ignored by each factory.
 */
export type DialectFactory = (options: Readonly<Record<string, unknown>>) => Dialect;

export const DIALECTS: Readonly<Record<string, DialectFactory>> = {
  kanboard: (options) => createKanboardDialect(options as KanboardOptions),
  octoprint: (options) => createOctoPrintDialect(options as OctoPrintOptions),
  'octoprint-1.3': (options) => createOctoPrint13Dialect(options as Options13),
  rhodecode: (options) => createRhodeCodeDialect(options as RhodeCodeOptions),
  nymea: (options) => createNymeaDialect(options as NymeaOptions),
};

export function createDialect(protocol: string, options: Readonly<Record<string, unknown>> = {}): Dialect {
  const factory = DIALECTS[protocol];
  if (!factory) throw new Error(`no mock for protocol "${protocol}"; known: ${Object.keys(DIALECTS).join(', ')}`);
  return factory(options);
}
