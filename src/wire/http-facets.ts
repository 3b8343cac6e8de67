import { facet, type Facet } from '../spec/expectation.js';
import type { Level } from '../spec/levels.js';
import type { Observed } from '../spec/observed.js';

/** Facets about the HTTP layer of a reply, shared by the wires that ride on HTTP. */

export type HttpObserved = Extract<Observed, { transport: 'http' }>;
type Explain = (o: Observed) => string | undefined;

/** A facet that only makes sense on an HTTP reply; anything else fails with what happened instead. */
export function onHttp(level: Level, says: string, test: (o: HttpObserved) => string | null, explain?: Explain): Facet {
  return facet(
    level,
    says,
    (o) => (o.transport === 'http' ? test(o) : o.transport === 'none' ? o.error : 'not an HTTP reply'),
    explain,
  );
}

/** `HTTP status 200`; `detail` adds what the wire can say about a wrong reply (its error text). */
export function httpStatus(
  code: number,
  level: Level = 'must',
  detail: (o: HttpObserved) => string = () => '',
  explain?: Explain,
): Facet {
  return onHttp(
    level,
    `HTTP status ${code}`,
    (o) => (o.status === code ? null : `got HTTP ${o.status}${detail(o)}`),
    explain,
  );
}
