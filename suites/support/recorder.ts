import { evaluate, type Expectation, type FacetOutcome } from '../../src/spec/expectation.js';
import type { ExchangeRecord } from '../../src/spec/check.js';
import type { Observed } from '../../src/spec/observed.js';
import type { Exchange } from '../../src/spec/session.js';
import { gates, type Level } from '../../src/spec/levels.js';

/** Stops a multi-step check after a failure at the gating level: later steps would only repeat it. */
export class StopCheck extends Error {}

/** The check does not apply here, for the reason given (declared in src/spec so that bindings can throw it too). */
export { SkipCheck } from '../../src/spec/skip.js';

/** Collects what one check sent, received and concluded. */
export class Recorder {
  readonly exchanges: ExchangeRecord[] = [];
  readonly facets: FacetOutcome[] = [];

  constructor(readonly gate: Level) {}

  /** Keep an exchange made to arrange state (shown in the report when the check fails). */
  note(exchange: Exchange, step: string): void {
    this.exchanges.push(record(exchange, step));
  }

  /** Hold an exchange to an expectation. Returns true when every facet at the gating level held. */
  hold(exchange: Exchange, expectation: Expectation, step?: string): boolean {
    this.exchanges.push(record(exchange, step));
    return this.judge(exchange.observed, expectation, step);
  }

  judge(observed: Observed, expectation: Expectation, step?: string): boolean {
    const outcomes = evaluate(expectation, observed).map((f) => (step ? { ...f, says: `${step}: ${f.says}` } : f));
    this.facets.push(...outcomes);
    return !outcomes.some((f) => !f.ok && gates(f.level, this.gate));
  }
}

function record(exchange: Exchange, step: string | undefined): ExchangeRecord {
  const base = { request: exchange.request, response: exchange.response, reproduce: exchange.reproduce, ms: Math.round(exchange.ms * 10) / 10 };
  return step ? { step, ...base } : base;
}
