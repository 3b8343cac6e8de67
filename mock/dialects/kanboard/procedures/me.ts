import type { Procedure } from '../procedure.js';

/** MeProcedure: the caller's own session row, without secrets (UserSession::initialize). */
const CLASS = 'MeProcedure';

export const meProcedures: Readonly<Record<string, Procedure>> = {
  getMe: {
    className: CLASS,
    run: (ctx) => {
      if (ctx.caller.kind !== 'user') return null;
      const { password: _p, is_admin: _a, is_project_admin: _pa, twofactor_secret: _s, ...row } = ctx.caller.user;
      return { ...row, is_ldap_user: row.is_ldap_user === 1, twofactor_activated: row.twofactor_activated === 1 };
    },
  },
};
