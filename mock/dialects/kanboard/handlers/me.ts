import type { Procedure } from '../handler.js';
import { userOut } from '../database.js';

/** MeProcedure: the caller's own session row, without secrets (UserSession::initialize). */
const CLASS = 'MeProcedure';

export const meProcedures: Readonly<Record<string, Procedure>> = {
  getMe: {
    className: CLASS,
    run: (ctx) => {
      if (ctx.caller.kind !== 'user') return null;
      // unset() only where isset(): a null twofactor_secret stays; PostgreSQL/MySQL have no admin columns to unset.
      const { password: _p, is_admin: _a, is_project_admin: _pa, ...row } = ctx.caller.user;
      const session: Record<string, unknown> = {
        ...userOut(ctx.state.db, row),
        is_ldap_user: row.is_ldap_user === 1,
        twofactor_activated: row.twofactor_activated === 1,
      };
      if (row.twofactor_secret !== null) delete session['twofactor_secret'];
      return session;
    },
  },
};
