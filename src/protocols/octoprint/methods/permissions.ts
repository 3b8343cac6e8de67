import { Type } from 'typebox';
import { anyone } from '../access.js';
import { CORE_PERMISSIONS } from '../defaults.js';
import { fieldsAre, isRow, method, OK, where, type Row } from '../define.js';
import { PermissionListDocumented, PermissionListReal } from '../records.js';
import { bodyOf } from '../../../wire/rest.js';
import { eraFacet } from '../era-facets.js';
import { missingCorePermissions, type OctoPrintForm } from '../variants.js';

const SEE = 'octoprint.md §4.1, §3.1, §3.4';

/** Core permissions a 1.x server may lack: 1.4.0–1.9.x have the list without these (octoprint.md §3.4). */
const NOT_IN_EVERY_1X = new Set(['TIMELAPSE_MANAGE_UNRENDERED']);

/** The core permissions of an era, in declaration order. */
const coreOf = (form: OctoPrintForm) => {
  const missing = missingCorePermissions(form);
  return CORE_PERMISSIONS.filter((p) => !missing.has(p.key));
};

function permissionsOf(body: unknown): Row[] {
  const list = isRow(body) ? body['permissions'] : undefined;
  return Array.isArray(list) ? list.filter(isRow) : [];
}

export const listPermissions = method({
  name: 'access.permissions.list',
  group: 'permissions',
  summary: 'Every permission the server knows: the core ones, then those of plugins',
  see: SEE,
  wire: { route: { verb: 'GET', path: '/api/access/permissions' } },
  params: Type.Object({}),
  result: { must: PermissionListDocumented, quirk: PermissionListReal },
  access: anyone,
  valid: () => ({}),
  succeeds: () => [
    ...OK,
    where('must', 'includes every core permission of 1.4–1.11 (ADMIN … SETTINGS), in any order', (body) => {
      const keys = new Set(permissionsOf(body).map((p) => p['key']));
      const missing = CORE_PERMISSIONS.filter((p) => !NOT_IN_EVERY_1X.has(p.key) && !keys.has(p.key)).map((p) => p.key);
      return missing.length === 0 ? null : `no ${missing.join(', ')}`;
    }),
    // The era's core list: 1.4.0–1.9.x without TIMELAPSE_MANAGE_UNRENDERED (variants.ts).
    eraFacet('quirk', 'the core permissions of the release (1.11: 22) come first, in declaration order', (form) => {
      const core = coreOf(form);
      return (o) => {
        const body = bodyOf(o);
        if (!body.ok) return body.why;
        const keys = permissionsOf(body.value)
          .slice(0, core.length)
          .map((p) => p['key']);
        const want = core.map((p) => p.key);
        const at = want.findIndex((k, i) => keys[i] !== k);
        return at < 0 ? null : `position ${at}: expected ${want[at]}, got ${String(keys[at])}`;
      };
    }),
    eraFacet('quirk', 'core permissions: dangerous flags, default groups and role needs as in 1.11', (form) => (o) => {
      const body = bodyOf(o);
      if (!body.ok) return body.why;
      const byKey = new Map(permissionsOf(body.value).map((p) => [p['key'], p]));
      for (const p of coreOf(form)) {
        const got = byKey.get(p.key);
        if (!got) return `no ${p.key}`;
        const problem =
          fieldsAre(got, { dangerous: p.dangerous, default_groups: [...p.defaultGroups] }) ??
          fieldsAre((got['needs'] ?? {}) as Row, { role: [...p.roles] });
        if (problem) return `${p.key}: ${problem}`;
        if ('plugin' in got) return `${p.key} has a plugin field`;
      }
      return null;
    }),
    where('quirk', 'plugin permissions carry their plugin id and a PLUGIN_ key', (body) => {
      const bad = permissionsOf(body).find(
        (p) => 'plugin' in p && !String(p['key']).startsWith(`PLUGIN_${String(p['plugin']).toUpperCase()}_`),
      );
      return bad ? `${String(bad['key'])} of plugin ${String(bad['plugin'])}` : null;
    }),
  ],
  errors: [],
  examples: [
    {
      source: 'docs/api/access.rst (1.11)',
      request: 'GET /api/access/permissions',
      response: {
        permissions: [
          {
            key: 'ADMIN',
            name: 'Admin',
            dangerous: true,
            default_groups: ['admins'],
            description: 'Admin is allowed to do everything',
            needs: { role: ['admin'] },
          },
        ],
      },
      note: 'Anonymous callers get the list too: the endpoint has no decorators (octoprint.md §4.1).',
    },
  ],
});

export const permissionMethods = [listPermissions];
