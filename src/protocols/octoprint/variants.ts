import type { ArrangeContext } from '../../spec/context.js';
import { formOf, type VariantsSpec } from '../../spec/variant.js';

/**
 * OctoPrint's variants are its release eras (octoprint.md §0, each row cumulative): the same access API,
 * with forms that changed from a given release on. The suites' quirk facets and the mock both read ERAS.
 * 1.4.0–1.5.x answer errors as text or HTML, which accord does not model: they are checked as the 1.4 era
 * (1.6.0–1.8.2), and the envelope checks report them.
 */
export interface OctoPrintForm {
  /** What the mock answers on GET /api/version for this era (its last release). */
  readonly served: string;
  /** 1.4–1.10: an API key that matches nothing gets 403 "Invalid API key" (1.11: no key, anonymous). */
  readonly refusesUnknownKeys: boolean;
  /** 1.11.7+: group create tests for `subgroups` (400); earlier a missing one is a KeyError (500). */
  readonly subgroupsRequired: boolean;
  /** 1.8.3+: the current password is checked (wrong: 403) and a non-admin must give it (400). */
  readonly checksCurrent: boolean;
  /** 1.8.3–1.9: an admin's `current` is checked too, when given; 1.10+ ignores it for another user. */
  readonly checksAdminCurrent: boolean;
  /** 1.9+: a body not sent as JSON gets Flask's 415; 1.6–1.8 answer 400 "Expected content-type JSON". */
  readonly notJson415: boolean;
  /** 1.10.3+: `apikey` is null in user records unless the caller's credentials are recent. */
  readonly hidesApikeys: boolean;
}

export const EXPECTED_JSON_TEXT = 'Expected content-type JSON';

const v1_11_7: OctoPrintForm = {
  served: '1.11.8',
  refusesUnknownKeys: false,
  subgroupsRequired: true,
  checksCurrent: true,
  checksAdminCurrent: false,
  notJson415: true,
  hidesApikeys: true,
};
const v1_11: OctoPrintForm = { ...v1_11_7, served: '1.11.6', subgroupsRequired: false };
const v1_10_3: OctoPrintForm = { ...v1_11, served: '1.10.3', refusesUnknownKeys: true };
const v1_10: OctoPrintForm = { ...v1_10_3, served: '1.10.2', hidesApikeys: false };
const v1_9: OctoPrintForm = { ...v1_10, served: '1.9.3', checksAdminCurrent: true };
const v1_8_3: OctoPrintForm = { ...v1_9, served: '1.8.7', notJson415: false };
const v1_4: OctoPrintForm = { ...v1_8_3, served: '1.8.2', checksCurrent: false, checksAdminCurrent: false };

/** The eras by id (the first release of each), oldest first; the first release that has the form. */
export const ERAS: Readonly<Record<string, OctoPrintForm>> = {
  '1.4': v1_4,
  '1.8.3': v1_8_3,
  '1.9': v1_9,
  '1.10': v1_10,
  '1.10.3': v1_10_3,
  '1.11': v1_11,
  '1.11.7': v1_11_7,
};

export const DEFAULT_ERA = '1.11.7';

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
    { id: '1.4', title: 'OctoPrint 1.4.0–1.8.2' },
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
