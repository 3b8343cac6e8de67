import { Type } from 'typebox';
import { Opt, Row, Seed } from '../../seed-schema.js';

/** A user has a plain password or the stored hash a saved state shows. */
const Login = Type.Union([Row({ password: Type.String() }), Row({ passwordHash: Type.String() })]);

/** state.ts NymeaSeed: a seed file or a saved state. */
export const nymeaSeedSchema = Seed({
  name: Opt(Type.String()),
  uuid: Opt(Type.String()),
  pushButton: Opt(Type.Boolean()),
  things: Opt(Type.Array(Type.String())),
  users: Opt(
    Type.Array(
      Type.Intersect([
        Login,
        Row({
          username: Type.String(),
          email: Opt(Type.String()),
          displayName: Opt(Type.String()),
          scopes: Opt(Type.Array(Type.String())),
          allowedThingIds: Opt(Type.Array(Type.String())),
        }),
      ]),
    ),
  ),
  tokens: Opt(
    Type.Array(
      Row({
        username: Type.String(),
        deviceName: Type.String(),
        token: Opt(Type.String({ minLength: 1 })),
        uuid: Opt(Type.String()),
        creationTime: Opt(Type.Integer()),
      }),
    ),
  ),
});
