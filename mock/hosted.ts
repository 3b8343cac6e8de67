import type { Dialect } from './dialect.js';
import { createDialect, sameCredentials } from './dialects/index.js';
import { Journal, journaled } from './journal.js';
import { resettable } from './resettable.js';

/**
 * A protocol's mock as a host serves it (node:http here, msw in mock/msw.ts): resettable to its seed
 * (`POST /__accord/control/reset`) and journaled (`GET /__accord/journal`, the page at `/__accord/`).
 */
export interface HostedDialect<D extends Dialect = Dialect> {
  readonly dialect: D;
  readonly journal: Journal;
}

export function hostDialect(
  protocol: string,
  options: Readonly<Record<string, unknown>>,
  log?: (line: string) => void,
): HostedDialect {
  const logged: { lines: string[] | undefined } = { lines: undefined };
  // While a stream message is handled, what the dialect logs is that message's diagnostics.
  const logLine = (line: string) => {
    logged.lines?.push(line.replace(/^diagnostic: /, ''));
    log?.(line);
  };
  const withLog = { ...options, log: logLine };
  const first = createDialect(protocol, withLog);
  // The state it started in, saved: a reset makes the same users, keys and ids, random ones included.
  const started = JSON.stringify(first.snapshot());
  const again = () =>
    createDialect(protocol, { ...withLog, seed: JSON.parse(started), ...sameCredentials(protocol, first) });
  const journal = new Journal();
  return { dialect: journaled(resettable(first, again), journal, logged), journal };
}
