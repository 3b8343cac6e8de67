import { Type } from 'typebox';

/**
 * OctoPrint 1.4–1.11 records as they travel (octoprint.md §3). Two strengths each:
 * - documented (must): the fields the 1.11 data model documents;
 * - real (quirk): every field a 1.11 server sends, and nothing else (`roles` on users and `dangerous` on
 *   groups are sent although the data model leaves them out, §6.8).
 */

const Strings = Type.Array(Type.String());
/** `{"group": [...], "role": [...]}` and other need types; list order comes from a Python set. */
const Needs = Type.Record(Type.String(), Strings);

export const PermissionDocumented = Type.Object(
  {
    key: Type.String(),
    name: Type.String(),
    description: Type.String(),
    dangerous: Type.Boolean(),
    default_groups: Strings,
    needs: Needs,
  },
  { title: 'a permission record' },
);
export const PermissionReal = Type.Object(
  {
    key: Type.String(),
    name: Type.String(),
    description: Type.String(),
    dangerous: Type.Boolean(),
    default_groups: Strings,
    needs: Needs,
    plugin: Type.Optional(Type.String()),
  },
  { additionalProperties: false, title: 'the real permission record' },
);

export const GroupDocumented = Type.Object(
  {
    key: Type.String(),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    permissions: Strings,
    subgroups: Strings,
    // Stored as sent on create: the JS client sends null for a group object without `default` (§4.2, §5.3).
    default: Type.Union([Type.Boolean(), Type.Null()]),
    removable: Type.Boolean(),
    changeable: Type.Boolean(),
    toggleable: Type.Boolean(),
  },
  { title: 'a group record' },
);
/** The real group record of an era: `dangerous` from 1.5 on (octoprint.md §3.2). */
export function groupRealOf(dangerous: boolean) {
  return dangerous ? GroupReal : GroupReal14;
}

export const GroupReal = Type.Object(
  {
    key: Type.String(),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    permissions: Strings,
    subgroups: Strings,
    needs: Needs,
    // Stored as sent on create: the JS client sends null for a group object without `default` (§4.2, §5.3).
    default: Type.Union([Type.Boolean(), Type.Null()]),
    removable: Type.Boolean(),
    changeable: Type.Boolean(),
    toggleable: Type.Boolean(),
    dangerous: Type.Boolean(),
  },
  { additionalProperties: false, title: 'the real group record (with needs and dangerous)' },
);
/** 1.4.x: Group.as_dict has no `dangerous` yet. */
const { dangerous: _dangerous, ...GROUP_14 } = GroupReal.properties;
export const GroupReal14 = Type.Object(GROUP_14, {
  additionalProperties: false,
  title: 'the real 1.4 group record (with needs, without dangerous)',
});

export const UserDocumented = Type.Object(
  {
    name: Type.String(),
    active: Type.Boolean(),
    admin: Type.Boolean(),
    user: Type.Boolean(),
    apikey: Type.Union([Type.String(), Type.Null()]),
    settings: Type.Record(Type.String(), Type.Unknown()),
    groups: Strings,
    permissions: Strings,
    needs: Needs,
  },
  { title: 'a user record' },
);
export const UserReal = Type.Object(
  {
    name: Type.String(),
    active: Type.Boolean(),
    admin: Type.Boolean(),
    user: Type.Literal(true),
    roles: Type.Union([Type.Tuple([Type.Literal('user')]), Type.Tuple([Type.Literal('user'), Type.Literal('admin')])]),
    apikey: Type.Union([Type.String(), Type.Null()]),
    settings: Type.Record(Type.String(), Type.Unknown()),
    groups: Strings,
    permissions: Strings,
    needs: Needs,
  },
  { additionalProperties: false, title: 'the real user record (with roles)' },
);

export const PermissionListDocumented = Type.Object(
  { permissions: Type.Array(PermissionDocumented) },
  { title: '{"permissions": [...]}' },
);
export const PermissionListReal = Type.Object(
  { permissions: Type.Array(PermissionReal) },
  { additionalProperties: false, title: '{"permissions": [real records]}' },
);
export const GroupListDocumented = Type.Object({ groups: Type.Array(GroupDocumented) }, { title: '{"groups": [...]}' });
export const GroupListReal = Type.Object(
  { groups: Type.Array(GroupReal) },
  { additionalProperties: false, title: '{"groups": [real records]}' },
);
export const GroupListReal14 = Type.Object(
  { groups: Type.Array(GroupReal14) },
  { additionalProperties: false, title: '{"groups": [real 1.4 records]}' },
);
export const UserListDocumented = Type.Object({ users: Type.Array(UserDocumented) }, { title: '{"users": [...]}' });
export const UserListReal = Type.Object(
  { users: Type.Array(UserReal) },
  { additionalProperties: false, title: '{"users": [real records]}' },
);

/** `{}`: OctoPrint's "success, no data" (`SUCCESS = {}`). */
export const Empty = Type.Object({}, { additionalProperties: false, title: '{}' });
/** What the docs promise where they say 204: nothing, or an empty object. */
export const NoContent = Type.Union([Type.Null(), Type.Object({})], { title: 'no content' });

/** 1.11 user keys: `secrets.token_urlsafe()`, 43 characters of base64url (§3.3). */
export const ApiKey111 = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', title: 'a 43-character URL-safe key' });
export const ApiKeyReply = Type.Object({ apikey: Type.String() }, { title: '{"apikey": "..."}' });
export const ApiKeyReplyReal = Type.Object(
  { apikey: ApiKey111 },
  { additionalProperties: false, title: '{"apikey": <43-character URL-safe key>}' },
);
/** 1.4–1.10 user keys: uuid4 as 32 upper-case hex characters (octoprint.md §3.3). */
export const ApiKeyHex = Type.String({ pattern: '^[0-9A-F]{32}$', title: 'a 32-character upper-case hex key' });
export const ApiKeyReplyHex = Type.Object(
  { apikey: ApiKeyHex },
  { additionalProperties: false, title: '{"apikey": <32 upper-case hex characters>}' },
);

export const SettingsObject = Type.Record(Type.String(), Type.Unknown(), { title: 'a settings object' });
