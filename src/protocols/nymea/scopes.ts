import { API } from './api.js';

/**
 * Permission scopes (nymea.md §5): bit values, implied bits, how a set is written back, and which sets
 * are consistent. Shared by the spec (access rules, expected values) and the mock.
 */
export const SCOPE_NAMES: readonly string[] = API.enums['PermissionScope'] ?? [];

export const SCOPE_BITS: Readonly<Record<string, number>> = {
  PermissionScopeNone: 0x0000,
  PermissionScopeControlThings: 0x0001,
  PermissionScopeConfigureThings: 0x0003,
  PermissionScopeAccessAllThings: 0x0004,
  PermissionScopeExecuteRules: 0x0010,
  PermissionScopeConfigureRules: 0x0030,
  PermissionScopeAdmin: 0xffff,
};

export const ADMIN = 0xffff;
const CONTROL_THINGS = 0x0001;
const ACCESS_ALL_THINGS = 0x0004;

/** The bits of a list of scope names (names that are not scopes add nothing; the validator refuses them first). */
export function maskOf(names: readonly string[]): number {
  return names.reduce((mask, name) => mask | (SCOPE_BITS[name] ?? 0), 0);
}

/** Does the mask hold every bit of `required`? */
export function holds(mask: number, required: number): boolean {
  return (mask & required) === required;
}

/**
 * The names a mask is written as in `UserInfo.scopes`: every scope whose bits are all set, in enum order,
 * implied ones included (ConfigureThings also reports ControlThings); an empty set is `[]`.
 */
export function userInfoScopes(mask: number): string[] {
  return SCOPE_NAMES.filter((name) => {
    const bits = SCOPE_BITS[name] ?? 0;
    return bits !== 0 && holds(mask, bits);
  });
}

/** Hello's `permissionScopes` and Authenticate's `scopes`: the same, but an empty set is `["PermissionScopeNone"]`. */
export function sessionScopes(mask: number): string[] {
  return mask === 0 ? ['PermissionScopeNone'] : userInfoScopes(mask);
}

/**
 * The combinations CreateUser and SetUserScopes accept (otherwise UserErrorInconsistantScopes): admin,
 * nothing, exactly ControlThings (a restricted guest), or anything that includes AccessAllThings (the
 * other scopes all require it; their own implied bits are set by their values).
 */
export function consistent(mask: number): boolean {
  return holds(mask, ADMIN) || mask === 0 || mask === CONTROL_THINGS || holds(mask, ACCESS_ALL_THINGS);
}

/** The full admin list, as Hello, Authenticate and UserInfo report an admin. */
export const ADMIN_SCOPES: readonly string[] = userInfoScopes(ADMIN);
