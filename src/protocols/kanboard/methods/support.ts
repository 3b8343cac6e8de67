import { Type } from 'typebox';
import { appRole, projectRole, userSpecific } from '../access.js';
import { method, returns, resultWhere, UNKNOWN_ID } from '../define.js';
import { PositiveId, ProjectDocumented, ProjectRealByDb, SessionUserRealByDb, UserDocumented } from '../records.js';
import { numbered } from '../world.js';

/**
 * Procedures outside users and permissions that the suites need to arrange state on any server
 * (a project to hold roles, the caller's own row). Covered like the rest (kanboard.md §4 role map).
 */
const SEE = 'kanboard.md §4';
const Id = Type.Integer({ minimum: 1 });
const Optional = <T extends Parameters<typeof Type.Optional>[0]>(schema: T) => Type.Optional(schema);
const NullableString = () => Optional(Type.Union([Type.String(), Type.Null()], { default: null }));

export const createProject = method({
  name: 'createProject',
  group: 'support',
  support: true,
  summary: 'Create a project; a user who creates one becomes its manager',
  see: SEE,
  params: Type.Object({
    name: Type.String(),
    description: NullableString(),
    owner_id: Optional(Type.Integer({ default: 0 })),
    identifier: NullableString(),
    start_date: NullableString(),
    end_date: NullableString(),
    priority_default: Optional(Type.Union([Type.Integer(), Type.Null()], { default: null })),
    priority_start: Optional(Type.Union([Type.Integer(), Type.Null()], { default: null })),
    priority_end: Optional(Type.Union([Type.Integer(), Type.Null()], { default: null })),
    email: NullableString(),
  }),
  result: { must: PositiveId },
  access: appRole('app-manager'),
  valid: (c) => ({ name: c.name('project') }),
  // Wrong calls that a server accepts come here too: String() reads what was sent.
  creates: {
    kind: 'project',
    handle: (result, params) => (typeof result === 'number' ? { id: result, name: String(params.name) } : undefined),
  },
  errors: [
    {
      id: 'empty-name',
      says: 'an empty name gives false',
      see: SEE,
      level: 'must',
      params: () => ({ name: '' }),
      expect: returns(false),
    },
  ],
  examples: [],
});

export const removeProject = method({
  name: 'removeProject',
  group: 'support',
  support: true,
  summary: 'Remove a project',
  see: SEE,
  params: Type.Object({ project_id: Id }),
  result: { must: Type.Boolean() },
  access: projectRole('project-manager'),
  // A project of its own on which every identity has the same role as on the world's project.
  valid: async (c) => ({ project_id: numbered(await c.create('project', { mirror: c.world })).id }),
  succeeds: () => returns(true),
  errors: [],
  examples: [],
});

export const getProjectById = method({
  name: 'getProjectById',
  group: 'support',
  support: true,
  summary: 'Get a project with its board and list URLs',
  see: SEE,
  params: Type.Object({ project_id: Id }),
  result: { must: ProjectDocumented, quirk: ProjectRealByDb },
  access: projectRole('project-viewer'),
  valid: (c) => ({ project_id: c.world.project.id }),
  succeeds: (_p, c) =>
    resultWhere('must', `the project ${c.world.project.name}`, (r) =>
      (r as { name?: unknown } | null)?.name === c.world.project.name
        ? null
        : `got ${JSON.stringify(r)?.slice(0, 120)}`,
    ),
  errors: [
    {
      id: 'unknown-id',
      says: 'with the app token, an unknown project gives null',
      see: SEE,
      level: 'quirk',
      as: 'app-api',
      params: () => ({ project_id: UNKNOWN_ID }),
      expect: returns(null, 'quirk'),
    },
  ],
  examples: [],
});

export const getMe = method({
  name: 'getMe',
  group: 'support',
  support: true,
  summary: "The caller's own user row, without secrets",
  see: 'kanboard.md §4',
  params: Type.Object({}),
  result: { must: UserDocumented, quirk: SessionUserRealByDb },
  access: userSpecific,
  valid: () => ({}),
  succeeds: () =>
    // UserSession::initialize unsets these only when isset(): twofactor_secret is null for a user without 2FA, so it stays.
    resultWhere('quirk', 'no password, is_admin or is_project_admin; twofactor_secret: null stays', (r) => {
      if (typeof r === 'object' && r !== null && (r as { twofactor_secret?: unknown }).twofactor_secret !== null)
        return 'no twofactor_secret: null';
      const leaked = ['password', 'is_admin', 'is_project_admin'].filter(
        (k) => typeof r === 'object' && r !== null && k in r,
      );
      return leaked.length === 0 ? null : `has ${leaked.join(', ')}`;
    }),
  errors: [],
  examples: [],
});

export const supportProcedures = [createProject, removeProject, getProjectById, getMe];
