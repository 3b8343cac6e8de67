import type { Dialect } from '../dialect.js';
import { createKanboardDialect, type KanboardOptions } from './kanboard/index.js';
import { createNymeaDialect, type NymeaOptions } from './nymea/index.js';

/**
 * Every protocol's mock, by protocol id. A new protocol adds its factory here.
 * Options are the dialect's own (seed, tokens, faults); unknown keys are ignored by each factory.
 */
export type DialectFactory = (options: Readonly<Record<string, unknown>>) => Dialect;

export const DIALECTS: Readonly<Record<string, DialectFactory>> = {
  kanboard: (options) => createKanboardDialect(options as KanboardOptions),
  nymea: (options) => createNymeaDialect(options as NymeaOptions),
};

export function createDialect(protocol: string, options: Readonly<Record<string, unknown>> = {}): Dialect {
  const factory = DIALECTS[protocol];
  if (!factory) throw new Error(`no mock for protocol "${protocol}"; known: ${Object.keys(DIALECTS).join(', ')}`);
  return factory(options);
}
