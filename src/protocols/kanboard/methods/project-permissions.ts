import { Type } from 'typebox';
import type { CallContext } from '../../../spec/context.js';
import { projectRole } from '../access.js';
import { invalidInteger, method, returns, resultWhere, UNKNOWN_ID } from '../define.js';
import { FORBIDDEN } from '../access.js';
import { variantFacets } from '../../../spec/variant.js';
import { nameOrder, ORDER_IS_EXACT } from '../variants.js';
import { resultInOrder } from '../../../wire/jsonrpc2.js';
import { perDatabase, UserMapDocumented, UserMapReal } from '../records.js';
import { numbered, type KanboardWorld } from '../world.js';

/**
 * ProjectPermissionProcedure: the app token on any project; users by their role on the project, checked
 * inside the procedure after the parameters are bound (kanboard.md §4). Maps are user id → display name.
 */
const SEE = 'kanboard.md §6 Project permissions';
const Id = Type.Integer({ minimum: 1 });
const Role = Type.String();

/**
 * getProjectUserRole for a user without a role: "" from 1.2.36, null before (variants.ts ReleaseForm.noRoleAnswer);
 * documented as false.
 */
export const noRole = () => perDatabase((db) => returns(db.release.noRoleAnswer, 'quirk', false));

/** A user made for this check and added to the world's project with a role. */
async function memberOf(c: CallContext<KanboardWorld>, role: string) {
  const user = numbered(await c.create('user'));
  await c.ok('addProjectUser', { project_id: c.world.project.id, user_id: user.id, role });
  return user;
}

async function groupOn(c: CallContext<KanboardWorld>, role: string) {
  const group = numbered(await c.create('group'));
  await c.ok('addProjectGroup', { project_id: c.world.project.id, group_id: group.id, role });
  return group;
}

const includesMember = (c: CallContext<KanboardWorld>) => {
  const member = c.world.users['project-member'];
  return resultWhere('must', `includes ${member?.username} under its id`, (r) =>
    member &&
    typeof r === 'object' &&
    r !== null &&
    (r as Record<string, unknown>)[String(member.id)] === member.username
      ? null
      : `got ${JSON.stringify(r)?.slice(0, 160)}`,
  );
};

// Key order is read from the reply text: JSON.parse would put integer-like keys first.
const keysSortedByName = (variant: string) =>
  variantFacets(
    perDatabase((db) => [
      resultInOrder(
        'quirk',
        db.caseInsensitiveNames
          ? 'entries sorted by display name, case-insensitively'
          : 'entries sorted by display name in byte order',
        (r) => {
          if (!(r instanceof Map)) return 'not an object';
          const order = nameOrder(db);
          const names = [...r.values()].map(String).filter((n) => !db.caseInsensitiveNames || ORDER_IS_EXACT.test(n));
          return names.every((n, i) => i === 0 || order(names[i - 1]!, n) <= 0)
            ? null
            : `order ${names.slice(0, 6).join(', ')}…`;
        },
      ),
    ]),
    variant,
  );

export const getProjectUsers = method({
  name: 'getProjectUsers',
  group: 'permissions',
  summary: 'Members of a project, direct and through groups',
  see: SEE,
  params: Type.Object({ project_id: Id }),
  result: { must: UserMapDocumented, quirk: UserMapReal },
  access: projectRole('project-viewer'),
  valid: (c) => ({ project_id: c.world.project.id }),
  succeeds: (_p, c) => [...includesMember(c), ...keysSortedByName(c.variant)],
  errors: [
    {
      id: 'unknown-project',
      says: 'with the app token, an unknown project gives {}',
      see: SEE,
      level: 'quirk',
      as: 'app-api',
      params: () => ({ project_id: UNKNOWN_ID }),
      expect: returns({}, 'quirk', []),
    },
    {
      id: 'group-without-members',
      says: 'a group without members on the project shows as the entry "": null',
      see: 'issue 13 (real servers: the LEFT JOIN row of the empty group)',
      level: 'quirk',
      as: 'app-api',
      params: async (c) => {
        const project = await c.create('project');
        const group = await c.create('group');
        await c.ok('addProjectGroup', { project_id: project.id, group_id: group.id, role: 'project-member' });
        return { project_id: project.id };
      },
      expect: returns({ '': null }, 'quirk'),
    },
    {
      id: 'non-integer-project',
      says: 'a member asking for project "abc" is refused (PostgreSQL: the SQL error, HTTP 200)',
      see: 'issue 13 (real servers)',
      level: 'quirk',
      as: 'project-member',
      params: () => ({ project_id: 'abc' }),
      expect: (_p, c) => variantFacets(invalidInteger(FORBIDDEN), c.variant),
    },
  ],
  examples: [],
});

export const getAssignableUsers = method({
  name: 'getAssignableUsers',
  group: 'permissions',
  summary: 'Members who can be assigned tasks (no viewers, no inactive users)',
  see: SEE,
  params: Type.Object({ project_id: Id, prepend_unassigned: Type.Optional(Type.Boolean({ default: false })) }),
  result: { must: UserMapDocumented, quirk: UserMapReal },
  access: projectRole('project-viewer'),
  valid: (c) => ({ project_id: c.world.project.id }),
  succeeds: (_p, c) => [
    ...includesMember(c),
    ...resultWhere('quirk', 'leaves out the project-viewer', (r) => {
      const viewer = c.world.users['project-viewer'];
      return viewer && typeof r === 'object' && r !== null && String(viewer.id) in (r as object)
        ? `${viewer.username} is listed`
        : null;
    }),
  ],
  errors: [
    {
      id: 'prepend-unassigned',
      says: 'with prepend_unassigned, "0": "Unassigned" comes first',
      see: SEE,
      level: 'quirk',
      params: (c) => ({ project_id: c.world.project.id, prepend_unassigned: true }),
      expect: [
        resultInOrder('quirk', 'first entry "0": "Unassigned"', (r) => {
          const first = r instanceof Map ? [...r.entries()][0] : undefined;
          return first && first[0] === '0' && first[1] === 'Unassigned' ? null : `first entry ${JSON.stringify(first)}`;
        }),
      ],
    },
  ],
  examples: [],
});

export const addProjectUser = method({
  name: 'addProjectUser',
  group: 'permissions',
  summary: 'Give a user a role on a project',
  see: SEE,
  params: Type.Object({ project_id: Id, user_id: Id, role: Type.Optional(Type.String({ default: 'project-member' })) }),
  result: { must: Type.Boolean() },
  access: projectRole('project-manager'),
  valid: async (c) => ({ project_id: c.world.project.id, user_id: numbered(await c.create('user')).id }),
  succeeds: () => returns(true),
  errors: [
    {
      id: 'duplicate',
      says: 'a user who already has a role gives false',
      see: SEE,
      level: 'must',
      params: async (c) => ({ project_id: c.world.project.id, user_id: (await memberOf(c, 'project-member')).id }),
      expect: returns(false),
    },
    {
      id: 'unknown-user',
      says: 'an unknown user gives false',
      see: SEE,
      level: 'must',
      params: (c) => ({ project_id: c.world.project.id, user_id: UNKNOWN_ID }),
      expect: returns(false),
    },
    {
      id: 'role-not-checked',
      says: 'the role is never checked: "project-god" is stored',
      see: SEE,
      level: 'quirk',
      params: async (c) => ({
        project_id: c.world.project.id,
        user_id: (await c.create('user')).id,
        role: 'project-god',
      }),
      expect: returns(true, 'quirk', false),
    },
  ],
  examples: [],
});

export const addProjectGroup = method({
  name: 'addProjectGroup',
  group: 'permissions',
  summary: 'Give a group a role on a project',
  see: SEE,
  params: Type.Object({
    project_id: Id,
    group_id: Id,
    role: Type.Optional(Type.String({ default: 'project-member' })),
  }),
  result: { must: Type.Boolean() },
  access: projectRole('project-manager'),
  valid: async (c) => ({ project_id: c.world.project.id, group_id: numbered(await c.create('group')).id }),
  succeeds: () => returns(true),
  errors: [
    {
      id: 'duplicate',
      says: 'a group that already has a role gives false',
      see: SEE,
      level: 'must',
      params: async (c) => ({ project_id: c.world.project.id, group_id: (await groupOn(c, 'project-member')).id }),
      expect: returns(false),
    },
    {
      id: 'unknown-group',
      says: 'an unknown group gives false',
      see: SEE,
      level: 'must',
      params: (c) => ({ project_id: c.world.project.id, group_id: UNKNOWN_ID }),
      expect: returns(false),
    },
  ],
  examples: [],
});

export const removeProjectUser = method({
  name: 'removeProjectUser',
  group: 'permissions',
  summary: "Take away a user's direct role on a project",
  see: SEE,
  params: Type.Object({ project_id: Id, user_id: Id }),
  result: { must: Type.Boolean() },
  access: projectRole('project-manager'),
  valid: async (c) => ({ project_id: c.world.project.id, user_id: (await memberOf(c, 'project-member')).id }),
  succeeds: () => returns(true),
  errors: [
    {
      id: 'not-a-member',
      says: 'a user without a role gives false',
      see: SEE,
      level: 'must',
      params: async (c) => ({ project_id: c.world.project.id, user_id: (await c.create('user')).id }),
      expect: returns(false),
    },
  ],
  examples: [],
});

export const removeProjectGroup = method({
  name: 'removeProjectGroup',
  group: 'permissions',
  summary: "Take away a group's role on a project",
  see: SEE,
  params: Type.Object({ project_id: Id, group_id: Id }),
  result: { must: Type.Boolean() },
  access: projectRole('project-manager'),
  valid: async (c) => ({ project_id: c.world.project.id, group_id: (await groupOn(c, 'project-member')).id }),
  succeeds: () => returns(true),
  errors: [
    {
      id: 'not-attached',
      says: 'a group without a role gives false',
      see: SEE,
      level: 'must',
      params: async (c) => ({ project_id: c.world.project.id, group_id: (await c.create('group')).id }),
      expect: returns(false),
    },
  ],
  examples: [],
});

export const changeProjectUserRole = method({
  name: 'changeProjectUserRole',
  group: 'permissions',
  summary: "Change a user's role on a project",
  see: SEE,
  params: Type.Object({ project_id: Id, user_id: Id, role: Role }),
  result: { must: Type.Boolean() },
  access: projectRole('project-manager'),
  valid: async (c) => ({
    project_id: c.world.project.id,
    user_id: (await memberOf(c, 'project-member')).id,
    role: 'project-viewer',
  }),
  succeeds: () => returns(true),
  errors: [
    {
      id: 'no-membership',
      says: 'a user without a role still gives true',
      see: 'kanboard.md §7.4',
      level: 'quirk',
      params: async (c) => ({
        project_id: c.world.project.id,
        user_id: (await c.create('user')).id,
        role: 'project-viewer',
      }),
      expect: returns(true, 'quirk', false),
    },
  ],
  examples: [],
});

export const changeProjectGroupRole = method({
  name: 'changeProjectGroupRole',
  group: 'permissions',
  summary: "Change a group's role on a project",
  see: SEE,
  params: Type.Object({ project_id: Id, group_id: Id, role: Role }),
  result: { must: Type.Boolean() },
  access: projectRole('project-manager'),
  valid: async (c) => ({
    project_id: c.world.project.id,
    group_id: (await groupOn(c, 'project-member')).id,
    role: 'project-viewer',
  }),
  succeeds: () => returns(true),
  errors: [
    {
      id: 'no-membership',
      says: 'a group without a role still gives true',
      see: 'kanboard.md §7.4',
      level: 'quirk',
      params: async (c) => ({
        project_id: c.world.project.id,
        group_id: (await c.create('group')).id,
        role: 'project-viewer',
      }),
      expect: returns(true, 'quirk', false),
    },
  ],
  examples: [],
});

export const getProjectUserRole = method({
  name: 'getProjectUserRole',
  group: 'permissions',
  summary: "A user's role on a project: the direct role, else the highest group role",
  see: SEE,
  params: Type.Object({ project_id: Id, user_id: Id }),
  result: { must: Type.String() },
  access: projectRole('project-viewer'),
  valid: (c) => ({ project_id: c.world.project.id, user_id: c.world.users['project-member']?.id ?? c.world.user.id }),
  succeeds: () => returns('project-member'),
  errors: [
    {
      id: 'not-a-member',
      says: 'a user without a role gives "" (before 1.2.36: null)',
      see: 'kanboard.md §7.4',
      level: 'quirk',
      params: (c) => ({ project_id: c.world.project.id, user_id: c.world.user.id }),
      expect: (_p, c) => variantFacets(noRole(), c.variant),
    },
    {
      id: 'role-through-group',
      says: 'a role held through a group counts',
      see: 'kanboard.md §4',
      level: 'must',
      params: async (c) => {
        const group = await groupOn(c, 'project-manager');
        const user = await c.create('user');
        await c.ok('addGroupMember', { group_id: group.id, user_id: user.id });
        return { project_id: c.world.project.id, user_id: user.id };
      },
      expect: returns('project-manager'),
    },
  ],
  examples: [],
});

export const projectPermissionProcedures = [
  getProjectUsers,
  getAssignableUsers,
  addProjectUser,
  addProjectGroup,
  removeProjectUser,
  removeProjectGroup,
  changeProjectUserRole,
  changeProjectGroupRole,
  getProjectUserRole,
];
