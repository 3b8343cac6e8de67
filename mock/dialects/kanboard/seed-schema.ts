import { Type } from 'typebox';
import { APP_ROLES } from '../../../src/protocols/kanboard/records.js';
import { Opt, OrNull, Pair, Row, Seed } from '../../seed-schema.js';

/** fixtures/kanboard/seed.json, or a saved state (state.ts KanboardSeed). */
export const kanboardSeedSchema = Seed({
  appToken: Opt(OrNull(Type.String({ minLength: 1 }))),
  users: Opt(
    Type.Array(
      Row({
        id: Opt(Type.Integer({ minimum: 1 })),
        username: Type.String({ minLength: 1 }),
        password: Opt(OrNull(Type.String())),
        // The role names are declared once (records.ts), a declaration the mock may share; its gates decide apart.
        role: Opt(Type.Union(APP_ROLES.map((r) => Type.Literal(r)))),
        name: Opt(OrNull(Type.String())),
        email: Opt(OrNull(Type.String())),
      }),
    ),
  ),
  groups: Opt(Type.Array(Row({ id: Opt(Type.Integer({ minimum: 1 })), name: Type.String({ minLength: 1 }) }))),
  projects: Opt(
    Type.Array(
      Row({
        id: Opt(Type.Integer({ minimum: 1 })),
        name: Type.String({ minLength: 1 }),
        owner_id: Opt(Type.Integer()),
      }),
    ),
  ),
  groupMembers: Opt(Type.Array(Pair)),
  projectUsers: Opt(Type.Array(Pair)),
  projectGroups: Opt(Type.Array(Pair)),
});
