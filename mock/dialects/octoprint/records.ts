import type { PermissionDefault } from '../../../src/protocols/octoprint/defaults.js';
import type { GroupState, OctoPrintState, UserState } from './state.js';

/** Records as OctoPrint 1.11 serialises them (octoprint.md §3); keys are sorted on the wire by flaskJson. */

export function permissionRecord(p: PermissionDefault): Record<string, unknown> {
  const record: Record<string, unknown> = {
    key: p.key,
    name: p.name,
    description: p.description,
    dangerous: p.dangerous,
    default_groups: [...p.defaultGroups],
    needs: { role: [...p.roles] },
  };
  if (p.plugin !== undefined) record['plugin'] = p.plugin;
  return record;
}

/** `withDangerous`: 1.5+ records carry `dangerous` (1.4's Group.as_dict has none). */
export function groupRecord(state: OctoPrintState, g: GroupState, withDangerous = true): Record<string, unknown> {
  // Dangerous if any permission, its own or a subgroup's, is (1.5.0+).
  const dangerous = [...state.effectivePermissions([g.key])].some(
    (p) => state.permissionsByKey.get(p)?.dangerous === true,
  );
  const record: Record<string, unknown> = {
    key: g.key,
    name: g.name,
    description: g.description,
    permissions: [...g.permissions],
    subgroups: [...g.subgroups],
    needs: state.needsOf([g.key]),
    default: g.default,
    removable: g.removable,
    changeable: g.changeable,
    toggleable: g.toggleable,
  };
  if (withDangerous) record['dangerous'] = dangerous;
  return record;
}

/** The user record; `apikey` is null unless the caller's credentials are recent (1.10.3+). */
export function userRecord(state: OctoPrintState, u: UserState, recent: boolean): Record<string, unknown> {
  const admin = state.isAdminUser(u);
  return {
    name: u.name,
    active: u.active,
    admin,
    user: true,
    roles: admin ? ['user', 'admin'] : ['user'],
    apikey: recent ? u.apikey : null,
    settings: u.settings,
    groups: [...u.groups],
    permissions: [...u.permissions],
    needs: state.needsOf(u.groups, u.permissions),
  };
}
