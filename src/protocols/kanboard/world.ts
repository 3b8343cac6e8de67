import type { ArrangeContext, As, Handle } from '../../spec/context.js';
import type { ResourceSpec } from '../../spec/protocol.js';
import type { AppRole, ProjectRole } from './records.js';

/**
 * What a Kanboard run builds before its checks: a project of its own, users for the identities that
 * need one (each with a known role on that project), and a plain user and group to read.
 * Everything is made by the arranging identity, named with the run prefix, and tracked for teardown.
 */
export interface KanboardWorld {
  readonly project: KanboardHandle;
  /** A plain app-user, member of `group`, not on the project. */
  readonly user: KanboardHandle;
  readonly group: KanboardHandle;
  /** Users made for identities, by identity id, with their passwords. */
  readonly users: Readonly<
    Record<string, { readonly id: number; readonly username: string; readonly password: string }>
  >;
  /** Each identity's role on `project` (none when absent). */
  readonly projectRoles: Readonly<Record<string, ProjectRole | undefined>>;
  /** A username that exists nowhere, for the bad-credentials identity (so no real account is locked out). */
  readonly badUsername: string;
}

/** A Kanboard object: its id is the integer Kanboard gave it (every resource below reads it with asId). */
export interface KanboardHandle extends Handle {
  readonly id: number;
}

/** A handle of a resource below (`c.create` types it as any protocol's), with its id typed as what it is. */
export function numbered(handle: Handle): KanboardHandle {
  if (!hasNumberId(handle)) throw new Error(`a Kanboard handle with the id ${JSON.stringify(handle.id)}`);
  return handle;
}

function hasNumberId(handle: Handle): handle is KanboardHandle {
  return typeof handle.id === 'number';
}

export function password(): string {
  return `Pw-${Math.random().toString(36).slice(2, 12)}`;
}

function asId(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  if (typeof value === 'string' && /^[0-9]+$/.test(value)) return Number(value);
  throw new Error(`${what} did not return a new id (got ${JSON.stringify(value)})`);
}

export const userResource: ResourceSpec = {
  kind: 'user',
  async create(c, options) {
    const username = typeof options['name'] === 'string' ? options['name'] : c.name('user');
    const pw = typeof options['password'] === 'string' ? options['password'] : password();
    const role = (options['role'] as AppRole | undefined) ?? 'app-user';
    const id = asId(await c.ok('createUser', { username, password: pw, role }), 'createUser');
    const handle: Handle = { id, name: username, password: pw };
    c.track('user', handle);
    return handle;
  },
  async remove(c, handle) {
    await c.ok('removeUser', { user_id: handle.id });
  },
  async list(c) {
    const users = (await c.ok('getAllUsers', {})) as { id: number; username: string }[];
    return users.map((u) => ({ id: Number(u.id), name: u.username }));
  },
};

export const groupResource: ResourceSpec = {
  kind: 'group',
  async create(c, options) {
    const name = typeof options['name'] === 'string' ? options['name'] : c.name('group');
    const id = asId(await c.ok('createGroup', { name }), 'createGroup');
    const handle: Handle = { id, name };
    c.track('group', handle);
    return handle;
  },
  async remove(c, handle) {
    await c.ok('removeGroup', { group_id: handle.id });
  },
  async list(c) {
    const groups = (await c.ok('getAllGroups', {})) as { id: number; name: string }[];
    return groups.map((g) => ({ id: Number(g.id), name: g.name }));
  },
};

export const projectResource: ResourceSpec = {
  kind: 'project',
  /** Option `mirror`: a world whose identities get the same roles here as on the world's project. */
  async create(c, options) {
    const name = typeof options['name'] === 'string' ? options['name'] : c.name('project');
    const id = asId(await c.ok('createProject', { name }), 'createProject');
    const handle: Handle = { id, name };
    c.track('project', handle);
    const mirror = options['mirror'] as KanboardWorld | undefined;
    for (const [identity, role] of Object.entries(mirror?.projectRoles ?? {})) {
      const user = mirror?.users[identity];
      if (user && role) await c.ok('addProjectUser', { project_id: id, user_id: user.id, role });
    }
    return handle;
  },
  async remove(c, handle) {
    // Only the application API or a manager of the project may remove it, app-admin included (kanboard.md §4):
    // a project a check made as another user goes as its maker when the arranger is a user.
    const maker = handle['createdBy'] as As | undefined;
    if (maker !== undefined && (await c.call('removeProject', { project_id: handle.id }, maker)).ok) return;
    await c.ok('removeProject', { project_id: handle.id });
  },
  async list(c) {
    const outcome = await c.call('getAllProjects', {});
    if (!outcome.ok || !Array.isArray(outcome.value)) return [];
    return (outcome.value as { id: number; name: string }[]).map((p) => ({ id: Number(p.id), name: p.name }));
  },
};

/** Identities that are users made by the run, with their application role and role on the project. */
const MADE_USERS: readonly { identity: string; role: AppRole; projectRole?: ProjectRole }[] = [
  { identity: 'app-manager', role: 'app-manager' },
  { identity: 'app-user', role: 'app-user' },
  { identity: 'project-viewer', role: 'app-user', projectRole: 'project-viewer' },
  { identity: 'project-member', role: 'app-user', projectRole: 'project-member' },
  { identity: 'project-manager', role: 'app-user', projectRole: 'project-manager' },
];

export async function buildWorld(c: ArrangeContext): Promise<KanboardWorld> {
  const project = numbered(await projectResource.create(c, {}));
  const users: Record<string, { id: number; username: string; password: string }> = {};
  const projectRoles: Record<string, ProjectRole | undefined> = {};
  for (const made of MADE_USERS) {
    if (made.identity === 'app-user' && c.given['user']) continue;
    const u = await userResource.create(c, { role: made.role });
    users[made.identity] = { id: Number(u.id), username: u.name, password: String(u['password']) };
    if (made.projectRole) {
      await c.ok('addProjectUser', { project_id: project.id, user_id: u.id, role: made.projectRole });
      projectRoles[made.identity] = made.projectRole;
    }
  }
  // The admin's role on the project depends on who created it: a user creating a project becomes its manager.
  if (c.given['admin']) {
    const me = await c.call('getMe', {}, 'app-admin');
    if (me.ok) {
      const role = await c.ok('getProjectUserRole', {
        project_id: project.id,
        user_id: (me.value as { id: number }).id,
      });
      projectRoles['app-admin'] = role === '' ? undefined : (role as ProjectRole);
    }
  }
  const user = numbered(await userResource.create(c, {}));
  const group = numbered(await groupResource.create(c, {}));
  await c.ok('addGroupMember', { group_id: group.id, user_id: user.id });
  return { project, user, group, users, projectRoles, badUsername: c.name('nobody') };
}
