import { Type } from 'typebox';
import { Opt, OrNull, Pair, Row, Seed } from '../../seed-schema.js';

const Perms = Opt(Type.Record(Type.String(), Type.Array(Pair)));

/** A seed file (state.ts RhodeCodeSeed) or a saved state, whose tables come as they were (RhodeCodeSaved). */
export const rhodecodeSeedSchema = Type.Union([
  Seed({
    users: Opt(
      Type.Array(
        Row({
          username: Type.String({ minLength: 1 }),
          email: Opt(OrNull(Type.String())),
          admin: Opt(Type.Boolean()),
          active: Opt(Type.Boolean()),
          globalPerms: Opt(Type.Array(Type.String())),
          tokens: Opt(Type.Array(Row({ token: Opt(Type.String({ minLength: 1 })), role: Opt(Type.String()) }))),
        }),
      ),
    ),
    userGroups: Opt(
      Type.Array(
        Row({ name: Type.String({ minLength: 1 }), owner: Type.String(), members: Opt(Type.Array(Type.String())) }),
      ),
    ),
    repos: Opt(Type.Array(Row({ name: Type.String({ minLength: 1 }), owner: Type.String() }))),
    repoGroups: Opt(Type.Array(Row({ name: Type.String({ minLength: 1 }), owner: Type.String() }))),
  }),
  Seed({
    users: Type.Array(Row({ id: Type.Integer(), username: Type.String({ minLength: 1 }) })),
    tokens: Type.Array(
      Row({ id: Type.Integer(), userId: Type.Integer(), token: Type.String({ minLength: 1 }), role: Type.String() }),
    ),
    userGroups: Opt(Type.Array(Row({ id: Type.Integer(), name: Type.String(), ownerId: Type.Integer() }))),
    repos: Opt(Type.Array(Row({ id: Type.Integer(), name: Type.String(), ownerId: Type.Integer() }))),
    repoGroups: Opt(Type.Array(Row({ id: Type.Integer(), name: Type.String(), ownerId: Type.Integer() }))),
    members: Opt(Type.Array(Pair)),
    userPerms: Perms,
    groupPerms: Perms,
  }),
]);
