/**
 * What replay mode answers from: recorded fixtures, indexed by method and parameters. A dialect in replay
 * mode decodes a call as usual, then asks the book instead of its state: the fixture recorded for exactly
 * these parameters, else the one recorded for the method's generated call.
 */
export interface RecordedCall {
  readonly method: string;
  readonly case: string;
  readonly source: string;
  readonly params: unknown;
  readonly reply: unknown;
}

/** JSON with object keys sorted, so that two equal parameter objects give the same key. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export class ReplayBook {
  readonly #exact = new Map<string, RecordedCall>();
  readonly #fallback = new Map<string, RecordedCall>();

  constructor(fixtures: readonly unknown[], normalise: (method: string) => string = (m) => m) {
    for (const f of fixtures as RecordedCall[]) {
      if (f.source !== 'generated') continue;
      const method = normalise(f.method);
      this.#exact.set(`${method} ${canonicalJson(f.params)}`, f);
      if (f.case === 'generated' || !this.#fallback.has(method)) this.#fallback.set(method, f);
    }
  }

  get size(): number {
    return this.#exact.size;
  }

  find(method: string, params: unknown): RecordedCall | undefined {
    return this.#exact.get(`${method} ${canonicalJson(params ?? {})}`) ?? this.#fallback.get(method);
  }
}
