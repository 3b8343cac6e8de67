import type { Handler, NymeaStages } from '../dialects/nymea/core.js';
import type { Fault } from './fault.js';
import { tokenInfo, userInfo, verifyPassword } from '../dialects/nymea/state.js';

type NymeaFault = Fault<NymeaStages>;

/** Replace one method handler, keeping access to the original. */
function patch(stages: NymeaStages, method: string, wrap: (original: Handler) => Handler): void {
  const original = stages.handlers[method];
  if (!original) throw new Error(`no handler ${method}`);
  stages.handlers[method] = wrap(original);
}

export const nymeaFaults: readonly NymeaFault[] = [
  {
    name: 'scope-not-enforced',
    protocol: 'nymea',
    says: 'any valid token may call Admin methods (the scope check is missing)',
    caughtBy: ['rights', 'envelope', 'lifecycle'],
    level: 'must',
    apply(stages) {
      stages.permits = () => true;
    },
  },
  {
    name: 'notify-unsubscribed',
    protocol: 'nymea',
    says: 'Users notifications go to every connection, subscribed or not',
    caughtBy: ['notifications'],
    level: 'must',
    apply(stages) {
      stages.subscribed = () => true;
    },
  },
  {
    name: 'no-disconnect-after-unauthorized',
    protocol: 'nymea',
    says: 'the connection stays open after an unauthorized reply',
    caughtBy: ['rights', 'envelope', 'lifecycle'],
    level: 'must',
    apply(stages) {
      stages.afterUnauthorized = () => undefined;
    },
  },
  {
    name: 'notification-userinfo-without-email',
    protocol: 'nymea',
    says: 'Users.UserAdded and UserChanged send a UserInfo without its email',
    caughtBy: ['notifications'],
    level: 'must',
    apply(stages) {
      const write = stages.write;
      stages.write = (conn, message) => {
        const params = 'notification' in message ? (message.params as Record<string, unknown> | undefined) : undefined;
        const info = params?.['userInfo'];
        if (typeof info !== 'object' || info === null) return write(conn, message);
        const { email: _email, ...rest } = info as Record<string, unknown>;
        write(conn, { ...message, params: { ...params, userInfo: rest } });
      };
    },
  },
  {
    name: 'token-kept-after-failed-login',
    protocol: 'nymea',
    says: 'a failed Authenticate leaves the connection holding its old token',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patch(stages, 'JSONRPC.Authenticate', (original) => (ctx) => {
        const before = ctx.conn.token;
        const reply = original(ctx);
        if (typeof reply === 'object' && reply !== null && (reply as Record<string, unknown>)['success'] === false)
          ctx.conn.token = before;
        return reply;
      });
    },
  },
  {
    name: 'token-survives-remove-token',
    protocol: 'nymea',
    says: 'Users.RemoveToken answers UserErrorNoError but the token keeps working',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      // Answers as the real method would, and removes nothing.
      patch(stages, 'Users.RemoveToken', () => ({ core, params, caller }) => {
        const id = String(params['tokenId']).replace(/[{}]/g, '').toLowerCase();
        const token = core.state.tokens.by('uuid', id);
        if (!token) return { error: 'UserErrorTokenNotFound' };
        return { error: token.username === caller?.username ? 'UserErrorNoError' : 'UserErrorPermissionDenied' };
      });
    },
  },
  {
    name: 'wrong-denial-text',
    protocol: 'nymea',
    says: 'a missing scope is answered "Permission Denied" instead of "Permission denied."',
    caughtBy: ['rights', 'envelope'],
    level: 'quirk',
    apply(stages) {
      const write = stages.write;
      stages.write = (conn, message) =>
        write(
          conn,
          'error' in message && message.error === 'Permission denied.'
            ? { ...message, error: 'Permission Denied' }
            : message,
        );
    },
  },
  {
    name: 'hello-not-required',
    protocol: 'nymea',
    says: 'calls before JSONRPC.Hello are served instead of refused with "Handshake required"',
    caughtBy: ['envelope', 'lifecycle'],
    level: 'must',
    apply(stages) {
      stages.handshakeRequired = () => false;
    },
  },
  {
    name: 'no-transport-router',
    protocol: 'nymea',
    says: 'any first method is handed to JSON-RPC and answered (nymea before 1.15), instead of closing a connection whose first message is not JSONRPC.Hello',
    caughtBy: ['envelope'],
    level: 'quirk',
    apply(stages) {
      stages.selectProtocol = () => 'json-rpc';
    },
  },
  {
    name: 'usernames-keep-case',
    protocol: 'nymea',
    says: 'usernames are stored and compared as written, not lower-cased',
    caughtBy: ['errors', 'notifications'],
    level: 'quirk',
    apply(stages) {
      stages.canonicalName = (name) => name;
    },
  },
  {
    name: 'no-lockdown',
    protocol: 'nymea',
    says: 'a failed login does not lock the server down',
    caughtBy: ['lifecycle'],
    level: 'quirk',
    apply(stages) {
      stages.lockdownMs = () => 0;
    },
  },
  {
    name: 'no-handshake-limit',
    protocol: 'nymea',
    says: 'a connection that never says Hello is kept open forever',
    caughtBy: ['lifecycle'],
    level: 'quirk',
    apply(stages) {
      stages.handshakeLimitMs = () => undefined;
    },
  },
  {
    name: 'notification-id-per-connection',
    protocol: 'nymea',
    says: 'notification ids count per connection (as the old documentation says) instead of server-wide',
    caughtBy: ['notifications'],
    level: 'quirk',
    apply(stages) {
      const counters = new WeakMap<object, number>();
      stages.notificationId = (conn) => {
        const next = counters.get(conn) ?? 0;
        counters.set(conn, next + 1);
        return next;
      };
    },
  },
  {
    name: 'get-users-with-error',
    protocol: 'nymea',
    says: 'Users.GetUsers also answers an error field (as the seed says every method does)',
    caughtBy: ['shapes'],
    level: 'quirk',
    apply(stages) {
      patch(stages, 'Users.GetUsers', (original) => (ctx) => {
        const result = original(ctx);
        return typeof result === 'object' ? { ...result, error: 'UserErrorNoError' } : result;
      });
    },
  },
  {
    name: 'split-on-every-newline',
    protocol: 'nymea',
    says: 'inbound messages are split at every newline instead of only at "}\\n{"',
    caughtBy: ['envelope'],
    level: 'quirk',
    apply(stages) {
      const buffers = new WeakMap<object, string>();
      stages.reframe = (conn, text) => {
        const all = (buffers.get(conn) ?? '') + text;
        const lines = all.split(/\r?\n/);
        buffers.set(conn, lines.pop() ?? '');
        return {
          packets: lines.filter((l) => l.trim() !== ''),
          overflow: (buffers.get(conn) ?? '').length > 1024 * 1024,
        };
      };
    },
  },
  {
    name: 'admin-removes-any-token',
    protocol: 'nymea',
    says: "an admin may remove another user's token (as the description says; nymea refuses)",
    caughtBy: ['errors'],
    level: 'quirk',
    apply(stages) {
      patch(stages, 'Users.RemoveToken', () => ({ core, params }) => {
        const token = core.state.tokens.by('uuid', String(params['tokenId']).replace(/[{}]/g, '').toLowerCase());
        if (!token) return { error: 'UserErrorTokenNotFound' };
        core.state.tokens.delete(token.id);
        return { error: 'UserErrorNoError' };
      });
    },
  },
  {
    name: 'password-reset-drops-tokens',
    protocol: 'nymea',
    says: "Users.ChangeUserPassword removes the user's tokens (as the description says; nymea keeps them)",
    caughtBy: ['lifecycle'],
    level: 'quirk',
    apply(stages) {
      patch(stages, 'Users.ChangeUserPassword', (original) => (ctx) => {
        const result = original(ctx);
        if (typeof result === 'object' && result['error'] === 'UserErrorNoError') {
          const name = String(ctx.params['username']).toLowerCase();
          for (const t of ctx.core.state.tokensOf(name)) ctx.core.state.tokens.delete(t.id);
        }
        return result;
      });
    },
  },
  {
    name: 'small-read-buffer',
    protocol: 'nymea',
    says: 'a message over 4 KiB closes the connection without a reply (nymea buffers up to 1 MiB)',
    caughtBy: ['fuzz'],
    level: 'must',
    apply(stages) {
      const reframe = stages.reframe;
      stages.reframe = (conn, text) => {
        const framed = reframe(conn, text);
        return framed.packets.some((p) => p.length > 4096) ? { packets: [], overflow: true } : framed;
      };
    },
  },
  {
    name: 'keys-in-insertion-order',
    protocol: 'nymea',
    says: 'replies are written with keys in insertion order, not alphabetically as Qt does',
    caughtBy: ['envelope'],
    level: 'quirk',
    apply(stages) {
      stages.write = (conn, message) => {
        if (!conn.open) return;
        // A JavaScript object as the handler built it: status first, then id, then the rest.
        const { id, ...rest } = message;
        const reordered = 'status' in rest ? Object.assign({ status: rest.status, id }, rest) : message;
        conn.peer.send(`${JSON.stringify(reordered)}\n`);
      };
    },
  },
  {
    name: 'get-tokens-lists-everyone',
    protocol: 'nymea',
    says: "Users.GetTokens lists every user's tokens, not only the caller's",
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patch(stages, 'Users.GetTokens', () => ({ core }) => ({
        error: 'UserErrorNoError',
        tokenInfoList: core.state.tokens.all().map(tokenInfo),
      }));
    },
  },
  {
    name: 'remove-user-keeps-tokens',
    protocol: 'nymea',
    says: 'Users.RemoveUser leaves the tokens: a new user of the same name inherits them',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patch(stages, 'Users.RemoveUser', () => ({ core, params }) => {
        const user = core.state.user(String(params['username']).toLowerCase());
        if (!user) return { error: 'UserErrorInvalidUserId' };
        core.state.users.delete(user.id);
        core.broadcast('Users.UserRemoved', { username: params['username'] });
        return { error: 'UserErrorNoError' };
      });
    },
  },
  {
    name: 'scopes-fixed-at-login',
    protocol: 'nymea',
    says: "a user's scopes are read once per user and cached: Users.SetUserScopes does not change what its tokens may do",
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      const permits = stages.permits;
      const seen = new Map<string, number>();
      stages.permits = (user, method) => {
        const scopes = seen.get(user.username) ?? user.scopes;
        seen.set(user.username, scopes);
        return permits({ ...user, scopes }, method);
      };
    },
  },
  {
    name: 'user-error-as-rpc-error',
    protocol: 'nymea',
    says: 'a UserError other than NoError is sent as status "error" with the name as error text',
    caughtBy: ['errors'],
    level: 'must',
    apply(stages) {
      const write = stages.write;
      stages.write = (conn, message) => {
        const params =
          'params' in message && 'status' in message ? (message.params as Record<string, unknown>) : undefined;
        const e = params?.['error'];
        if (typeof e === 'string' && e !== 'UserErrorNoError')
          return write(conn, { id: message.id, status: 'error', error: e } as typeof message);
        write(conn, message);
      };
    },
  },
  {
    name: 'creation-time-iso',
    protocol: 'nymea',
    says: 'TokenInfo.creationTime is an ISO date string, not seconds',
    caughtBy: ['shapes'],
    level: 'must',
    apply(stages) {
      const write = stages.write;
      stages.write = (conn, message) => {
        const params =
          'params' in message && 'status' in message ? (message.params as Record<string, unknown>) : undefined;
        const list = params?.['tokenInfoList'];
        if (!Array.isArray(list)) return write(conn, message);
        const iso = list.map((t: Record<string, unknown>) => ({
          ...t,
          creationTime: new Date(Number(t['creationTime']) * 1000).toISOString(),
        }));
        write(conn, { ...message, params: { ...params, tokenInfoList: iso } } as typeof message);
      };
    },
  },
  {
    name: 'unknown-enum-accepted',
    protocol: 'nymea',
    says: 'an enum or flag value the API does not know passes validation (and is then ignored)',
    caughtBy: ['errors'],
    level: 'must',
    apply(stages) {
      const validate = stages.validate;
      stages.validate = (request) => {
        const text = validate(request);
        return text && /Expected enum value/.test(text) ? undefined : text;
      };
    },
  },
  {
    name: 'notify-others-only',
    protocol: 'nymea',
    says: 'Users notifications go to every subscribed connection but the one whose call caused them',
    caughtBy: ['notifications'],
    level: 'must',
    apply(stages) {
      let current: object | undefined;
      for (const name of Object.keys(stages.handlers)) {
        patch(stages, name, (original) => (ctx) => {
          current = ctx.conn;
          try {
            return original(ctx);
          } finally {
            current = undefined;
          }
        });
      }
      const subscribed = stages.subscribed;
      stages.subscribed = (conn, namespace) => conn !== current && subscribed(conn, namespace);
    },
  },
  {
    name: 'token-per-request',
    protocol: 'nymea',
    says: 'each request is authorised by its own token; a token other than the Hello one is accepted',
    caughtBy: ['envelope'],
    level: 'quirk',
    apply(stages) {
      stages.tokenMatches = () => true;
    },
  },
  {
    name: 'change-password-ignored',
    protocol: 'nymea',
    says: 'Users.ChangePassword answers UserErrorNoError and keeps the old password',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      patch(stages, 'Users.ChangePassword', (original) => (ctx) => {
        const row = ctx.caller && ctx.core.state.user(ctx.caller.username);
        const before = row?.password;
        const r = original(ctx);
        if (row && before !== undefined) ctx.core.state.users.update(row.id, { password: before });
        return r;
      });
    },
  },
  {
    name: 'scope-missing-on-get-user-tokens',
    protocol: 'nymea',
    says: 'Users.GetUserTokens is served to any user (its admin scope is not checked)',
    caughtBy: ['rights'],
    level: 'must',
    apply(stages) {
      const permits = stages.permits;
      stages.permits = (user, method) => method === 'Users.GetUserTokens' || permits(user, method);
    },
  },
  {
    name: 'password-caps-lock',
    protocol: 'nymea',
    says: 'JSONRPC.Authenticate also accepts the password typed with caps lock on (its case swapped)',
    caughtBy: ['lifecycle'],
    level: 'must',
    apply(stages) {
      const swap = (text: string) =>
        [...text].map((ch) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())).join('');
      patch(stages, 'JSONRPC.Authenticate', (original) => (ctx) => {
        const password = String(ctx.params['password']);
        const user = ctx.core.state.user(String(ctx.params['username']).toLowerCase());
        const capsLock =
          user && !verifyPassword(password, user.password) && verifyPassword(swap(password), user.password);
        return original(capsLock ? { ...ctx, params: { ...ctx.params, password: swap(password) } } : ctx);
      });
    },
  },
  {
    name: 'user-changed-before-update',
    protocol: 'nymea',
    says: 'Users.UserChanged carries the UserInfo as it was before the change',
    caughtBy: ['notifications'],
    level: 'must',
    apply(stages) {
      for (const name of ['Users.SetUserScopes', 'Users.SetUserInfo']) {
        patch(stages, name, (original) => (ctx) => {
          const before = ctx.core.state.users.all().map((u) => ({ ...u }));
          const write = ctx.core.stages.write;
          ctx.core.stages.write = (conn, message) => {
            const info =
              'notification' in message ? (message.params['userInfo'] as Record<string, unknown>) : undefined;
            const old = info && before.find((u) => u.username === info['username']);
            if (!old || !('notification' in message)) return write(conn, message);
            write(conn, {
              ...message,
              params: { userInfo: { ...info, displayName: old.displayName, email: old.email } },
            });
          };
          try {
            return original(ctx);
          } finally {
            ctx.core.stages.write = write;
          }
        });
      }
    },
  },
  {
    name: 'user-added-on-failure',
    protocol: 'nymea',
    says: 'Users.UserAdded is sent for a Users.CreateUser that failed (a duplicate name, say)',
    caughtBy: ['notifications'],
    level: 'must',
    apply(stages) {
      patch(stages, 'Users.CreateUser', (original) => (ctx) => {
        const r = original(ctx);
        if (typeof r === 'object' && r['error'] !== 'UserErrorNoError') {
          const existing = ctx.core.state.user(String(ctx.params['username']).toLowerCase());
          ctx.core.broadcast('Users.UserAdded', { userInfo: userInfo(existing) });
        }
        return r;
      });
    },
  },
  {
    name: 'user-removed-on-failure',
    protocol: 'nymea',
    says: 'Users.UserRemoved is sent for a Users.RemoveUser of a user that does not exist',
    caughtBy: ['notifications'],
    level: 'must',
    apply(stages) {
      patch(stages, 'Users.RemoveUser', (original) => (ctx) => {
        const r = original(ctx);
        if (typeof r === 'object' && r['error'] === 'UserErrorInvalidUserId')
          ctx.core.broadcast('Users.UserRemoved', { username: ctx.params['username'] });
        return r;
      });
    },
  },
  {
    name: 'empty-scopes-make-admin',
    protocol: 'nymea',
    says: 'Users.CreateUser with scopes [] makes an admin, as if no scopes were given',
    caughtBy: ['rights', 'lifecycle'],
    level: 'must',
    apply(stages) {
      patch(stages, 'Users.CreateUser', (original) => (ctx) => {
        const scopes = ctx.params['scopes'];
        if (!Array.isArray(scopes) || scopes.length > 0) return original(ctx);
        const { scopes: _scopes, ...rest } = ctx.params;
        return original({ ...ctx, params: rest });
      });
    },
  },
];
