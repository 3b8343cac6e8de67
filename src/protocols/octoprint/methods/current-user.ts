import { Type } from 'typebox';
import { anyone } from '../access.js';
import { method, OK } from '../define.js';
import { serverVersion } from './version.js';

const SEE = 'octoprint.md §2.3';

/** `{name, permissions, groups}`: the caller's name (null when anonymous), effective permissions, groups. */
const CurrentUser = Type.Object({
  name: Type.Union([Type.String(), Type.Null()]),
  permissions: Type.Array(Type.String()),
  groups: Type.Array(Type.String()),
});

/** The caller itself (1.4+), as OctoPrint sees it: pre-flight asks it who each given key belongs to. */
export const currentUser = method({
  name: 'session.currentUser',
  group: 'session',
  summary: 'Who the caller is: its name, effective permissions and groups (anonymous: null, guests)',
  see: SEE,
  wire: { route: { verb: 'GET', path: '/api/currentuser' } },
  params: Type.Object({}),
  result: { must: CurrentUser, quirk: Type.Object(CurrentUser.properties, { additionalProperties: false }) },
  access: anyone,
  valid: () => ({}),
  succeeds: () => [...OK],
  errors: [],
  examples: [
    {
      source: 'src/octoprint/server/api/__init__.py get_current_user (1.11.8)',
      request: 'GET /api/currentuser',
      response: { name: null, permissions: [], groups: ['guests'] },
      note: 'An anonymous caller: no name, the guests group.',
    },
  ],
});

export const sessionMethods = [currentUser, serverVersion];
