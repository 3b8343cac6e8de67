import { Type } from 'typebox';
import { Opt, OrNull, Row, Seed } from '../../seed-schema.js';

/** A user has a plain password or the stored hash a saved state shows. */
export const User = Type.Union([
  Row({ name: Type.String({ minLength: 1 }), password: Type.String() }),
  Row({ name: Type.String({ minLength: 1 }), passwordHash: Type.String() }),
]);

export const userFields = {
  apikey: Opt(OrNull(Type.String())),
  active: Opt(Type.Boolean()),
  settings: Opt(Type.Record(Type.String(), Type.Unknown())),
};

/** OctoPrint 1.4–1.11 (state.ts OctoPrintSeed). */
export const octoprintSeedSchema = Seed({
  globalKey: Opt(Type.String({ minLength: 1 })),
  groups: Opt(
    Type.Array(
      Row({ key: Type.Unknown(), permissions: Type.Array(Type.String()), subgroups: Type.Array(Type.Unknown()) }),
    ),
  ),
  users: Opt(
    Type.Array(
      Type.Intersect([
        User,
        Row({ ...userFields, groups: Opt(Type.Array(Type.Unknown())), permissions: Opt(Type.Array(Type.String())) }),
      ]),
    ),
  ),
});
