/**
 * The seed (user-methods.rst r618, RhodeCode 4.3/4.4) documents older forms of the objects (rhodecode.md
 * §5). A server written from it sends those forms; a failing 4.27 check says which form it recognised and
 * what to change. Notes only: these never decide a verdict.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walk(value: unknown, visit: (o: Json) => void, depth = 0): void {
  if (depth > 6) return;
  if (Array.isArray(value)) for (const v of value) walk(v, visit, depth + 1);
  else if (isObject(value)) {
    visit(value);
    for (const v of Object.values(value)) walk(v, visit, depth + 1);
  }
}

const NOTES = {
  apiKeys:
    "this is the seed's 4.3 user object (`api_key` + `api_keys`); RhodeCode 4.10 replaced both with `auth_tokens`, a list of token strings (40 `*` when secrets are hidden): rename `api_keys` to `auth_tokens` and drop `api_key` (rhodecode.md §5.3)",
  newUserFields:
    'the seed\'s 4.3 user object has no `description` (added in 4.18) or `last_activity` (4.7); 4.27 sends both, `description` "" and `last_activity` null by default (§2.1, §5.3)',
  members:
    'the seed-era (4.3) get_user_group lists permissions under `members`; since 4.11 it is `permissions` (rows of name, permission, origin, type) plus `permissions_summary` (§2.2, §5.9)',
  summary:
    "the seed's get_user has only `permissions`; 4.11 added `permissions_summary` with the same content, and `permissions` is kept as a deprecated copy: send both (§2.1, §5.4)",
  groupFields: 'the seed-era (4.3) user group object has no `owner_email` (4.7) or `sync` (4.12) (§5.9)',
} as const;

/** Notes on every seed-era form found in a result, or undefined when there is none. */
export function seedFormNote(result: unknown): string | undefined {
  const found = new Set<string>();
  walk(result, (o) => {
    if (('api_key' in o || 'api_keys' in o) && !('auth_tokens' in o)) found.add(NOTES.apiKeys);
    if ('user_id' in o && 'username' in o && 'emails' in o && (!('description' in o) || !('last_activity' in o)))
      found.add(NOTES.newUserFields);
    if ('users_group_id' in o && 'members' in o && !('permissions' in o)) found.add(NOTES.members);
    if ('users_group_id' in o && (!('owner_email' in o) || !('sync' in o))) found.add(NOTES.groupFields);
    if ('user_id' in o && isObject(o['permissions']) && !('permissions_summary' in o)) found.add(NOTES.summary);
  });
  return found.size === 0 ? undefined : [...found].join('; ');
}

/** The seed form of a user object kept alongside 4.27's: a should-level finding (secrets under old names). */
export function seedFieldsKept(result: unknown): string | null {
  const kept: string[] = [];
  walk(result, (o) => {
    if ('auth_tokens' in o && ('api_key' in o || 'api_keys' in o))
      kept.push(['api_key', 'api_keys'].filter((k) => k in o).join(' and '));
  });
  return kept.length === 0 ? null : `also sends the seed's ${kept[0]}`;
}

export const SEED_FIELDS_KEPT_NOTE =
  "RhodeCode 4.10 removed `api_key`/`api_keys` (the seed's names); a server that still sends them next to `auth_tokens` exposes every token a second time under names 4.27 clients do not expect: drop them (rhodecode.md §5.3)";
