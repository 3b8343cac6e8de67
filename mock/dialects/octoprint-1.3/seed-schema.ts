import { Type } from 'typebox';
import { Opt, Row, Seed } from '../../seed-schema.js';
import { User, userFields } from '../octoprint/seed-schema.js';

/** OctoPrint 1.3 (octoprint-1.3/state.ts Seed13). */
export const octoprint13SeedSchema = Seed({
  globalKey: Opt(Type.String({ minLength: 1 })),
  users: Opt(Type.Array(Type.Intersect([User, Row({ ...userFields, admin: Opt(Type.Boolean()) })]))),
});
