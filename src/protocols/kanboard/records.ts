import { Type, type TProperties, type TSchema } from 'typebox';
import { byVariant, type ByVariant } from '../../spec/variant.js';
import { FORMS, PROJECT_BOOLEAN_COLUMNS, USER_BOOLEAN_COLUMNS, type DatabaseForm } from './variants.js';

/**
 * Kanboard records as they travel on the wire. Each comes in two strengths:
 * - the documented form (must): what the docs and the real server share; ids may be numbers or numeric strings;
 * - the real form (quirk): what a real Kanboard (PHP 8.1+) sends: every column, ids as numbers; the columns and
 *   the form of booleans depend on the database (variants.ts), so each real form comes per variant.
 * Reference: kanboard.md §6 (the user object is the entire users row) and §7.
 */

export const APP_ROLES = ['app-admin', 'app-manager', 'app-user'] as const;
export type AppRole = (typeof APP_ROLES)[number];
export const PROJECT_ROLES = ['project-manager', 'project-member', 'project-viewer'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/**
 * The roles in rank order, declared once: the access rules here and the mock's gates both read these names
 * and ranks (the gates still decide on their own, mock/dialects/kanboard, so the two check each other).
 */
export const APP_RANK: Readonly<Record<AppRole, number>> = { 'app-user': 0, 'app-manager': 1, 'app-admin': 2 };
export const PROJECT_ROLE_RANK: Readonly<Record<ProjectRole, number>> = {
  'project-viewer': 0,
  'project-member': 1,
  'project-manager': 2,
};

/** The rank of a role by name, or undefined for a name that is no role (the mock reads names from requests). */
export function rankOf<R extends string>(ranks: Readonly<Record<R, number>>, role: string): number | undefined {
  const byName: Readonly<Record<string, number>> = ranks;
  return Object.prototype.hasOwnProperty.call(byName, role) ? byName[role] : undefined;
}

/** PHP's trim(): only " \t\n\r\0\x0B", not every Unicode space as String.prototype.trim (usernames, §8). */
export function phpTrim(text: string): string {
  return text.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, '');
}

/** A number, or a numeric string as the documentation shows ids (`"id": "1"`). */
export const IntLike = Type.Union([Type.Integer(), Type.String({ pattern: '^-?[0-9]+$' })]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);

const realUserColumns = {
  id: Type.Integer({ minimum: 1 }),
  username: Type.String(),
  password: NullableString,
  is_admin: Type.Integer(),
  is_ldap_user: Type.Integer(),
  name: NullableString,
  email: NullableString,
  google_id: NullableString,
  github_id: NullableString,
  notifications_enabled: Type.Integer(),
  timezone: NullableString,
  language: NullableString,
  disable_login_form: Type.Integer(),
  twofactor_activated: Type.Integer(),
  twofactor_secret: NullableString,
  token: NullableString,
  notifications_filter: NullableInt,
  nb_failed_login: Type.Integer(),
  lock_expiration_date: NullableInt,
  is_project_admin: Type.Integer(),
  gitlab_id: NullableInt,
  role: Type.Union(APP_ROLES.map((r) => Type.Literal(r))),
  is_active: Type.Integer(),
  avatar_path: NullableString,
  api_access_token: NullableString,
  filter: NullableString,
  theme: Type.String(),
};

/** One form per variant (database, era, PHP), made from its DatabaseForm (variants.ts FORMS). */
export function perDatabase<T>(make: (db: DatabaseForm) => T): ByVariant<T> {
  const forms: Record<string, T> = {};
  for (const [id, db] of Object.entries(FORMS)) forms[id] = make(db);
  return byVariant({ ...forms, default: forms['sqlite']! });
}

/** How a database sends a boolean column's value (PHP before 8.1 on SQLite/MySQL: "1", "0"). */
export const booleanOf = (db: DatabaseForm, value: boolean): boolean | number | string =>
  db.booleans === 'json' ? value : intOf(db, value ? 1 : 0);

/** How a database sends an integer column's value: a number, or on PHP before 8.1 (SQLite, MySQL) its text. */
export const intOf = (db: DatabaseForm, value: number): number | string => (db.numericStrings ? String(value) : value);

/** An integer column's value as PHP before 8.1 sends it from SQLite or MySQL: its decimal text. */
const IntText = Type.String({ pattern: '^-?[0-9]+$' });

/** An integer column's schema as the database sends it: as is, or (numericStrings) its text, null kept. */
function intColumn(schema: TSchema, db: DatabaseForm): TSchema {
  if (!db.numericStrings) return schema;
  const s = schema as { type?: unknown; anyOf?: readonly { type?: unknown }[] };
  if (s.type === 'integer') return IntText;
  if (Array.isArray(s.anyOf) && s.anyOf.some((m) => m.type === 'integer'))
    return Type.Union(s.anyOf.map((m) => (m.type === 'integer' ? IntText : (m as TSchema))));
  return schema;
}

/** A table's columns as a database sends them: booleans as it types them, dropped columns absent. */
function columnsFor(
  columns: TProperties,
  booleans: readonly string[],
  db: DatabaseForm,
  dropped: readonly string[] = [],
): TProperties {
  const out: Record<string, TSchema> = {};
  for (const [name, schema] of Object.entries(columns)) {
    if (dropped.includes(name))
      out[name] = Type.Optional(Type.Never({ description: `no ${name} column on this database or release` }));
    else out[name] = db.booleans === 'json' && booleans.includes(name) ? Type.Boolean() : intColumn(schema, db);
  }
  return out;
}

export const userColumnsFor = (db: DatabaseForm) =>
  columnsFor(realUserColumns, USER_BOOLEAN_COLUMNS, db, db.droppedUserColumns);

/** The real user object: the whole users row, numbers as numbers (SQLite; per database: UserRealByDb). */
export const UserReal = Type.Object(realUserColumns, { title: 'the real users row' });
export const UserRealByDb = perDatabase((db) => Type.Object(userColumnsFor(db), { title: 'the real users row' }));
export const UserListRealByDb = perDatabase((db) =>
  Type.Array(Type.Object(userColumnsFor(db)), { title: 'a list of real users rows' }),
);

/** What the documentation promises of a user object. */
/** What every user row carries on every database, `role` (the user's rights) included (kanboard.md §6, §7.6). */
const AppRole = Type.Union(APP_ROLES.map((r) => Type.Literal(r)));
export const UserDocumented = Type.Object(
  { id: IntLike, username: Type.String(), name: NullableString, email: NullableString, role: AppRole },
  { title: 'a user object with its role' },
);

/** getMe: the session copy of the row, without password, is_admin and is_project_admin. */
export const SessionUserRealByDb = perDatabase((db) => {
  const {
    password: _p,
    is_admin: _a,
    is_project_admin: _pa,
    ...columns
  } = columnsFor(realUserColumns, USER_BOOLEAN_COLUMNS, db, db.droppedUserColumns);
  // UserSession unsets columns only when isset(): a null twofactor_secret stays, on every database.
  // UserSession::initialize casts id to int and the two flags to bool, on every PHP.
  return Type.Object(
    {
      ...columns,
      id: Type.Integer({ minimum: 1 }),
      twofactor_secret: Type.Null(),
      is_ldap_user: Type.Boolean(),
      twofactor_activated: Type.Boolean(),
    },
    { title: 'the session user (users row without password and admin flags)' },
  );
});

const MEMBERSHIP_COLUMNS = { group_id: Type.Integer(), user_id: Type.Integer() } satisfies TProperties;

/** getGroupMembers rows: the membership columns followed by the full user row. */
export const GroupMemberListRealByDb = perDatabase((db) =>
  Type.Array(Type.Object({ ...columnsFor(MEMBERSHIP_COLUMNS, [], db), ...userColumnsFor(db) }), {
    title: 'membership rows with the full users row',
  }),
);
export const GroupMemberDocumented = Type.Object({ id: IntLike, username: Type.String(), role: AppRole });

export const GroupDocumented = Type.Object({ id: IntLike, name: Type.String() }, { title: 'a group' });
const groupRow = (db: DatabaseForm) =>
  Type.Object(columnsFor({ id: Type.Integer(), external_id: NullableString, name: Type.String() }, [], db), {
    title: 'the real group row',
  });
const groupListItem = (db: DatabaseForm) =>
  Type.Object(
    columnsFor(
      { id: Type.Integer(), name: Type.String(), external_id: NullableString, nb_users: Type.Integer() },
      [],
      db,
    ),
    { title: 'a group with nb_users' },
  );
export const GroupRealByDb = perDatabase(groupRow);
export const GroupListRealByDb = perDatabase((db) => Type.Array(groupRow(db)));
export const GroupListWithCountRealByDb = perDatabase((db) => Type.Array(groupListItem(db)));

/** user id → display name. The real server always sends an object; PHP would send [] for an empty array. */
export const UserMapDocumented = Type.Union([
  Type.Record(Type.String(), Type.String()),
  Type.Array(Type.Any(), { maxItems: 0 }),
]);
export const UserMapReal = Type.Record(Type.String({ pattern: '^[0-9]+$' }), Type.String(), {
  title: 'an object of user id to name',
});

export const ProjectDocumented = Type.Object({ id: IntLike, name: Type.String() }, { title: 'a project' });
const projectColumns = {
  id: Type.Integer(),
  name: Type.String(),
  is_active: Type.Integer(),
  token: NullableString,
  last_modified: Type.Integer(),
  is_public: Type.Integer(),
  is_private: Type.Integer(),
  description: NullableString,
  identifier: Type.String(),
  start_date: NullableString,
  end_date: NullableString,
  owner_id: Type.Integer(),
  priority_default: Type.Integer(),
  priority_start: Type.Integer(),
  priority_end: Type.Integer(),
  email: NullableString,
  url: Type.Object({ board: Type.String(), list: Type.String() }),
} satisfies TProperties;
export const ProjectRealByDb = perDatabase((db) =>
  Type.Object(columnsFor(projectColumns, PROJECT_BOOLEAN_COLUMNS, db), { title: 'the real project row with urls' }),
);

export const PositiveId = Type.Integer({ minimum: 1, title: 'a new id' });
