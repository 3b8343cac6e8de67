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

/**
 * Replay for REST dialects: the call is the route's method name and its parameters (path parameters and
 * the JSON body's fields, as the client declared them); the recorded reply goes back as it was.
 */
export function replayRest(
  book: ReplayBook,
  method: string,
  pathParams: Readonly<Record<string, string>>,
  body: string,
): { status: number; headers: Record<string, string>; body: string } | undefined {
  let fields: unknown = {};
  try {
    fields = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    fields = {};
  }
  const params =
    typeof fields === 'object' && fields !== null && !Array.isArray(fields)
      ? { ...pathParams, ...fields }
      : { ...pathParams };
  const recorded = book.find(method, params);
  if (!recorded) return undefined;
  const reply = recorded.reply as { status: number; contentType: string | null; body: unknown };
  return {
    status: reply.status,
    headers: reply.contentType ? { 'content-type': reply.contentType } : {},
    body: typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body),
  };
}
