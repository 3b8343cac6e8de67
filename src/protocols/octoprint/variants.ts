import type { ArrangeContext } from '../../spec/context.js';
import { formOf, type VariantsSpec } from '../../spec/variant.js';

/**
 * OctoPrint's variants are its release eras (octoprint.md §0, each row cumulative): the same access API,
 * with forms that changed from a given release on. The suites' quirk facets and the mock both read ERAS.
 * Sources, by tag where the index holds the tag's file, else the stored file whose code dates it:
 * - 1.4.x: src/octoprint/server/api/__init__.py (1.4 era: no JSON error handler; loginFromApiKeyRequestHandler
 *   on the blueprint), access.py answering with make_response text (octoprint.md §4.4 "1.4.0–1.5.x");
 * - 1.6.0–1.8.2: access.py with abort(400, description=...), @Permissions.SETTINGS.require(403), no `current`,
 *   "password is missing" (a fork at that era, mrbeam/mrb3-octoPrint c8284c86);
 * - 1.8.3–1.8.7: access.py with @Permissions.ADMIN.require(403), the `current` check, still the explicit
 *   Content-Type test (OctoPrint/OctoPrint, stored access.py 66369732); 1.8.6 access/users.py (no
 *   InvalidUsername); server/util/__init__.py with csrfRequestHandler and the "Invalid API key" abort;
 * - 1.11.8: the installed package of ../shared/real/octoprint (load_user_from_request; no blueprint key check).
 */
export interface OctoPrintForm {
  /** What the mock answers on GET /api/version for this era (its last release). */
  readonly served: string;
  /** 1.6+: errors under /api are JSON {"error": text}; 1.4–1.5 send make_response text or Werkzeug's HTML page. */
  readonly jsonErrors: boolean;
  /** 1.5+: `Authorization: Bearer <key>` carries the API key (get_api_key); 1.4 reads only apikey and X-Api-Key. */
  readonly bearerKeys: boolean;
  /** 1.5+: group records carry `dangerous`. */
  readonly groupsDangerous: boolean;
  /** 1.8.3+: the API blueprint's csrfRequestHandler (400 "CSRF validation failed" on writes without a key). */
  readonly csrf: boolean;
  /** 1.8.3+: the access endpoints need ADMIN; 1.4.0–1.8.2 @Permissions.SETTINGS.require(403). */
  readonly needsAdmin: boolean;
  /** 1.4–1.10: an API key that matches nothing gets 403 "Invalid API key" (1.11: no key, anonymous). */
  readonly refusesUnknownKeys: boolean;
  /** 1.11.7+: group create tests for `subgroups` (400); earlier a missing one is a KeyError (500). */
  readonly subgroupsRequired: boolean;
  /** 1.8.3+: the current password is checked (wrong: 403) and a non-admin must give it (400). */
  readonly checksCurrent: boolean;
  /** 1.8.3–1.9: an admin's `current` is checked too, when given; 1.10+ ignores it for another user. */
  readonly checksAdminCurrent: boolean;
  /**
   * 1.9+: the handlers leave the Content-Type to Flask's get_json(); 1.4–1.8 answer 400 "Expected content-type
   * JSON" themselves. Flask's answer is 415 from Werkzeug 2.3 on (1.11 on Python 3.8+ pins Werkzeug 3), a
   * plain 400 with Werkzeug 2.2 (what 1.9–1.10 pin, and 1.11 on Python 3.7): see `notJsonEither`.
   */
  readonly notJson415: boolean;
  /** 1.9–1.10: either of Flask's answers (415, or Werkzeug 2.2's 400), as the installed Werkzeug decides. */
  readonly notJsonEither: boolean;
  /** 1.10.3+: `apikey` is null in user records unless the caller's credentials are recent. */
  readonly hidesApikeys: boolean;
  /** 1.9+: add_user raises InvalidUsername for names with surrounding whitespace (400 "Username invalid"). */
  readonly checksUsername: boolean;
  /**
   * 1.10+: @require_credentials_checked_recently on the mutating endpoints (403 "Please reauthenticate with
   * your credentials" for a remember-me or stale browser session; API keys always pass).
   */
  readonly recentCredentials: boolean;
  /** 1.10+: the core permission TIMELAPSE_MANAGE_UNRENDERED (octoprint.md §3.4: 1.4.0–1.9.x lack it). */
  readonly manageUnrendered: boolean;
  /** 1.10+: DELETE of your own user gives 400 "You cannot delete yourself". */
  readonly refusesSelfDelete: boolean;
  /** 1.11+: new user keys are secrets.token_urlsafe() (43 characters); before, 32 upper-case hex characters. */
  readonly urlsafeKeys: boolean;
  /** The era's wording of texts that 1.11 words otherwise (1.11 text → this era's). */
  readonly texts: Readonly<Record<string, string>>;
}

export const EXPECTED_JSON_TEXT = 'Expected content-type JSON';

/** 1.4–1.5 (octoprint.md §4.4 "1.4.0–1.5.x bodies"): make_response texts where 1.6+ aborts with its own. */
const MAKE_RESPONSE_TEXTS: Readonly<Record<string, string>> = {
  'key is missing': 'Missing mandatory key field',
  'name is missing': 'Missing mandatory name field',
  'permissions are missing': 'Missing mandatory permissions field',
  'password is missing': 'Missing mandatory password field',
  'active is missing': 'Missing mandatory active field',
  'new password is missing': 'password is missing from request',
};

const v1_11_7: OctoPrintForm = {
  served: '1.11.8',
  jsonErrors: true,
  bearerKeys: true,
  groupsDangerous: true,
  csrf: true,
  needsAdmin: true,
  refusesUnknownKeys: false,
  subgroupsRequired: true,
  checksCurrent: true,
  checksAdminCurrent: false,
  notJson415: true,
  notJsonEither: false,
  hidesApikeys: true,
  checksUsername: true,
  recentCredentials: true,
  manageUnrendered: true,
  refusesSelfDelete: true,
  urlsafeKeys: true,
  texts: {},
};
const v1_11: OctoPrintForm = { ...v1_11_7, served: '1.11.6', subgroupsRequired: false };
const v1_10_3: OctoPrintForm = {
  ...v1_11,
  served: '1.10.3',
  refusesUnknownKeys: true,
  urlsafeKeys: false,
  notJsonEither: true,
};
const v1_10: OctoPrintForm = { ...v1_10_3, served: '1.10.2', hidesApikeys: false };
const v1_9: OctoPrintForm = {
  ...v1_10,
  served: '1.9.3',
  checksAdminCurrent: true,
  recentCredentials: false,
  manageUnrendered: false,
  refusesSelfDelete: false,
};
const v1_8_3: OctoPrintForm = {
  ...v1_9,
  served: '1.8.7',
  notJson415: false,
  notJsonEither: false,
  checksUsername: false,
};
const v1_6: OctoPrintForm = {
  ...v1_8_3,
  served: '1.8.2',
  checksCurrent: false,
  checksAdminCurrent: false,
  csrf: false,
  needsAdmin: false,
  texts: { 'new password is missing': 'password is missing' },
};
const v1_5: OctoPrintForm = { ...v1_6, served: '1.5.3', jsonErrors: false, texts: MAKE_RESPONSE_TEXTS };
const v1_4: OctoPrintForm = { ...v1_5, served: '1.4.2', bearerKeys: false, groupsDangerous: false };

/** The eras by id (the first release of each), oldest first; the first release that has the form. */
export const ERAS: Readonly<Record<string, OctoPrintForm>> = {
  '1.4': v1_4,
  '1.5': v1_5,
  '1.6': v1_6,
  '1.8.3': v1_8_3,
  '1.9': v1_9,
  '1.10': v1_10,
  '1.10.3': v1_10_3,
  '1.11': v1_11,
  '1.11.7': v1_11_7,
};

export const DEFAULT_ERA = '1.11.7';

/** The core permissions an era does not have (the defaults are 1.11.8's). */
export function missingCorePermissions(form: OctoPrintForm): ReadonlySet<string> {
  return new Set(form.manageUnrendered ? [] : ['TIMELAPSE_MANAGE_UNRENDERED']);
}

/** A 1.11 error text as the era words it. */
export function eraText(form: OctoPrintForm, text: string): string {
  return form.texts[text] ?? text;
}

/** The form of a variant id (an unknown id: the default, the real server's 1.11.8). */
export function formOfEra(variant: string): OctoPrintForm {
  return formOf({ byVariant: { default: v1_11_7, ...ERAS } }, variant);
}

/** One form per variant, made from each era's form: for byVariant declarations. */
export function perEra<T>(make: (form: OctoPrintForm) => T): {
  readonly byVariant: Record<string, T> & { default: T };
} {
  const forms: Record<string, T> = Object.fromEntries(Object.entries(ERAS).map(([id, f]) => [id, make(f)]));
  return { byVariant: { ...forms, default: forms[DEFAULT_ERA]! } };
}

/** `1.10.2` → [1, 10, 2]; undefined when the text is no release number. */
function parseVersion(text: string): number[] | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

const atLeast = (v: readonly number[], w: readonly number[]) => {
  for (let i = 0; i < 3; i++) if (v[i] !== w[i]) return v[i]! > w[i]!;
  return true;
};

/** The era a release belongs to: the latest whose first release it reaches; undefined before 1.4 or after 1.x. */
export function eraOfVersion(version: string): string | undefined {
  const v = parseVersion(version);
  if (!v || v[0] !== 1 || v[1]! < 4) return undefined;
  const ids = Object.keys(ERAS).filter((id) => atLeast(v, parseVersion(id)!));
  return ids.at(-1);
}

/** The era `variant` is at least `era` (both era ids). */
export function atLeastEra(variant: string, era: string): boolean {
  const ids = Object.keys(ERAS);
  const at = ids.indexOf(variant);
  return (at < 0 ? ids.indexOf(DEFAULT_ERA) : at) >= ids.indexOf(era);
}

/** GET /api/version (needs STATUS: the admin holds it) names the release. */
async function detect(c: ArrangeContext): Promise<{ id: string; evidence: string } | undefined> {
  const reply = await c.call('server.version', {});
  if (!reply.ok) return undefined;
  const server = (reply.value as { server?: unknown } | null)?.server;
  if (typeof server !== 'string') return undefined;
  const id = eraOfVersion(server);
  return id === undefined ? undefined : { id, evidence: `GET /api/version says server ${server}` };
}

export const variants: VariantsSpec = {
  list: [
    { id: '1.4', title: 'OctoPrint 1.4.0–1.4.2' },
    { id: '1.5', title: 'OctoPrint 1.5.0–1.5.3' },
    { id: '1.6', title: 'OctoPrint 1.6.0–1.8.2' },
    { id: '1.8.3', title: 'OctoPrint 1.8.3–1.8.7' },
    { id: '1.9', title: 'OctoPrint 1.9.0–1.9.3' },
    { id: '1.10', title: 'OctoPrint 1.10.0–1.10.2' },
    { id: '1.10.3', title: 'OctoPrint 1.10.3' },
    { id: '1.11', title: 'OctoPrint 1.11.0–1.11.6' },
    { id: '1.11.7', title: 'OctoPrint 1.11.7–1.11.8' },
  ],
  default: DEFAULT_ERA,
  detect,
};
