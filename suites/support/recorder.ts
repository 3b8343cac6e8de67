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

  constructor(
    readonly gate: Level,
    /** Applied to every text kept (secrets of live targets are replaced by markers). */
    readonly redact: (text: string) => string = (t) => t,
    /** The variant the run checks: facets with a per-variant test (Facet.forVariant) are judged as it. */
    readonly variant?: string,
  ) {}

  /** Keep an exchange made to arrange state (shown in the report when the check fails). */
  note(exchange: Exchange, step: string): void {
    this.exchanges.push(record(exchange, step, this.redact));
  }

  /** Hold an exchange to an expectation. Returns true when every facet at the gating level held. */
  hold(exchange: Exchange, expectation: Expectation, step?: string): boolean {
    this.exchanges.push(record(exchange, step, this.redact));
    return this.judge(exchange.observed, expectation, step);
  }

  judge(observed: Observed, expectation: Expectation, step?: string): boolean {
    const outcomes = evaluate(expectation, observed, this.variant).map((f) => {
      const says = this.redact(step ? `${step}: ${f.says}` : f.says);
      return {
        ...f,
        says,
        ...(f.mismatch ? { mismatch: this.redact(f.mismatch) } : {}),
        ...(f.note ? { note: this.redact(f.note) } : {}),
      };
    });
    this.facets.push(...outcomes);
    return !outcomes.some((f) => !f.ok && gates(f.level, this.gate));
  }
}

function record(exchange: Exchange, step: string | undefined, redact: (text: string) => string): ExchangeRecord {
  const base = {
    request: redact(exchange.request),
    response: redact(exchange.response),
    reproduce: redact(exchange.reproduce),
    ms: Math.round(exchange.ms * 10) / 10,
  };
  return step ? { step, ...base } : base;
}
