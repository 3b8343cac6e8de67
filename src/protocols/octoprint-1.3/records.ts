import { Type } from 'typebox';

/** OctoPrint 1.3 user records (octoprint.md §3.3, 1.3 column): roles are the `admin` and `user` flags. */
export const User13 = Type.Object(
  {
    name: Type.String(),
    active: Type.Boolean(),
    admin: Type.Boolean(),
    user: Type.Boolean(),
    apikey: Type.Union([Type.String(), Type.Null()]),
    settings: Type.Record(Type.String(), Type.Unknown()),
  },
  { title: 'a 1.3 user record' },
);
export const User13Real = Type.Object(
  {
    name: Type.String(),
    active: Type.Boolean(),
    admin: Type.Boolean(),
    user: Type.Literal(true),
    apikey: Type.Union([Type.String(), Type.Null()]),
    settings: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false, title: 'the real 1.3 user record' },
);
export const UserList13 = Type.Object({ users: Type.Array(User13) }, { title: '{"users": [...]}' });
export const UserList13Real = Type.Object(
  { users: Type.Array(User13Real) },
  { additionalProperties: false, title: '{"users": [real 1.3 records]}' },
);
/** 1.3 keys: uuid4 hex in upper case, 32 characters. */
export const ApiKey13Reply = Type.Object(
  { apikey: Type.String({ pattern: '^[0-9A-F]{32}$' }) },
  { additionalProperties: false, title: '{"apikey": <32 upper-case hex>}' },
);
