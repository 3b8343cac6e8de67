import type { ReferenceSources } from '../../spec/protocol.js';

/** RhodeCode CE 4.27.0 as mirrored on GitHub (the reference's main source), and its 4.3 docs (the seed's). */
const V427 = 'https://github.com/keqiongpan/rhodecode-enterprise-ce/blob/72356a94';
const V43 = 'https://github.com/keqiongpan/rhodecode-enterprise-ce/blob/dc20c60d';

/** Where a user can read what each section of reference/rhodecode.md rests on. */
export const sources: ReferenceSources = {
  '': [`${V427}/docs/api/api.rst`],
  '§1': [`${V427}/docs/api/api.rst`, `${V427}/rhodecode/api/__init__.py`],
  '§1.2': [`${V427}/rhodecode/api/exc.py`, `${V427}/rhodecode/api/utils.py`],
  '§1.3': [`${V427}/rhodecode/api/utils.py`],
  '§2': [`${V427}/rhodecode/model/db.py`],
  '§3': [
    `${V427}/rhodecode/model/validation_schema/schemas/user_schema.py`,
    `${V427}/rhodecode/model/validation_schema/schemas/user_group_schema.py`,
  ],
  '§4': [`${V427}/docs/api/methods/user-methods.rst`, `${V427}/docs/api/methods/user-group-methods.rst`],
  '§4.1': [`${V427}/docs/api/methods/user-methods.rst`, `${V427}/rhodecode/api/views/user_api.py`],
  '§4.2': [`${V427}/docs/api/methods/user-group-methods.rst`, `${V427}/rhodecode/api/views/user_group_api.py`],
  '§4.3': [`${V427}/docs/api/methods/repo-methods.rst`, `${V427}/rhodecode/api/views/repo_api.py`],
  '§4.4': [`${V427}/docs/api/methods/repo-group-methods.rst`, `${V427}/rhodecode/api/views/repo_group_api.py`],
  '§5': [`${V43}/docs/api/methods/user-methods.rst`, `${V427}/docs/api/methods/user-methods.rst`],
  '§6': [`${V427}/rhodecode/api/__init__.py`],
};
