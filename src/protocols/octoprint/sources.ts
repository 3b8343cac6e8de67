import type { ReferenceSources } from '../../spec/protocol.js';

const V111 = 'https://github.com/OctoPrint/OctoPrint/blob/1.11.8';
const V13 = 'https://github.com/OctoPrint/OctoPrint/blob/1.3.12';

/**
 * Where a user can read what each section of reference/octoprint.md rests on: OctoPrint's docs and source
 * at tag 1.11.8 (the main reference) and 1.3.12 (the legacy users API).
 */
export const sources: ReferenceSources = {
  '': [`${V111}/docs/api/access.rst`],
  '§0': [`${V111}/src/octoprint/server/api/access.py`],
  '§1': [`${V111}/docs/api/general.rst`, `${V111}/src/octoprint/server/util/flask.py`],
  '§2': [`${V111}/src/octoprint/server/util/__init__.py`, `${V111}/src/octoprint/access/permissions.py`],
  '§2.1': [`${V111}/src/octoprint/server/util/__init__.py`],
  '§2.2': [`${V111}/src/octoprint/server/util/flask.py`, `${V111}/src/octoprint/access/permissions.py`],
  '§2.3': [`${V111}/src/octoprint/server/api/__init__.py`],
  '§2.4': [`${V13}/src/octoprint/users.py`, `${V13}/docs/api/users.rst`],
  '§3': [
    `${V111}/docs/api/datamodel.rst`,
    `${V111}/src/octoprint/access/users.py`,
    `${V111}/src/octoprint/access/groups.py`,
  ],
  '§3.1': [`${V111}/docs/api/datamodel.rst`, `${V111}/src/octoprint/access/permissions.py`],
  '§3.4': [`${V111}/src/octoprint/access/groups.py`, `${V111}/src/octoprint/access/permissions.py`],
  '§4': [`${V111}/docs/api/access.rst`, `${V111}/src/octoprint/server/api/access.py`],
  '§4.4': [
    `${V13}/docs/api/users.rst`,
    `${V13}/src/octoprint/server/api/users.py`,
    `${V111}/src/octoprint/server/api/users.py`,
  ],
  '§5': [`${V111}/src/octoprint/static/js/app/client/base.js`, `${V111}/src/octoprint/static/js/app/client/access.js`],
  '§5.2': [`${V13}/src/octoprint/static/js/app/client/users.js`],
  '§6': [`${V111}/docs/api/access.rst`, `${V111}/src/octoprint/server/api/access.py`],
  '§7': [`${V111}/src/octoprint/server/api/access.py`],
};
