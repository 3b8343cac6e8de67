import type { Handler, NymeaStages } from '../dialects/nymea/core.js';
import type { Fault } from './fault.js';

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
];
