import type { HttpRequestData, HttpResponseData } from '../../../src/wire/http.js';
import type { FlaskBody } from '../../../src/wire/rest.js';
import type { Caller } from './auth.js';
import type { OctoPrintState, UserState } from './state.js';
import type { OctoPrintForm } from '../../../src/protocols/octoprint/variants.js';

/**
 * The OctoPrint dialect as replaceable stages, in the order a request meets them (octoprint.md §2.2):
 * authenticate → CSRF → recent credentials → ADMIN → the handler (which reads the body and makes its own
 * self-or-ADMIN test). Faults (mock/faults/octoprint.ts) break one stage each.
 */
export interface OctoPrintStages {
  readonly state: OctoPrintState;
  /** The release era the mock answers as (its variant, src/protocols/octoprint/variants.ts). */
  readonly form: OctoPrintForm;
  authenticate(request: HttpRequestData): Caller;
  csrfPasses(request: HttpRequestData, caller: Caller): boolean;
  recent(caller: Caller): boolean;
  isAdmin(caller: Caller): boolean;
  checkPassword(user: UserState, password: unknown): boolean;
  /** PATCH settings: each top-level key replaces the old value. */
  mergeSettings(old: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown>;
  /** Flask's get_json(). */
  readJson(request: HttpRequestData): FlaskBody;
  userRecord(user: UserState, recent: boolean): Record<string, unknown>;
  /** The decorators of each endpoint, by method name. */
  readonly gates: Record<string, { recent: boolean; admin: boolean }>;
  readonly handlers: Record<string, Handler>;
  /** The last look at a response before it leaves. */
  respond(response: HttpResponseData): HttpResponseData;
}

/** `abort(status, description)`. */
export class Abort extends Error {
  constructor(
    readonly status: number,
    readonly description?: string,
  ) {
    super(description ?? `HTTP ${status}`);
  }
}

export interface HandlerContext {
  readonly request: HttpRequestData;
  /** Path parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly caller: Caller;
  readonly stages: OctoPrintStages;
  /** `request.get_json()`: the decoded body, or an Abort with Flask's 415/400; checked against the spec. */
  json(): unknown;
  /** A request diagnostic in words (`groups: expected an array of strings, got null`). */
  note(finding: string): void;
}

export type Handler = (ctx: HandlerContext) => HttpResponseData;
