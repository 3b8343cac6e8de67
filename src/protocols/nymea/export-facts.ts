import type { ExportFacts } from '../../spec/export-facts.js';
import { isRecord, replyJson } from '../../spec/rpc-replies.js';
import { notifications } from './notifications.js';

/**
 * nymea's envelope is its own (nymea.md §2): `{id, method, params, token}` in; `{id, status, params}` or
 * `{id, status, error}` out. OpenRPC needs error codes, which nymea does not send: accord writes -32000
 * for `status: "error"` and -32001 for `status: "unauthorized"` (after which nymea closes the connection).
 */
export const NYMEA_ERROR_CODES = { error: -32000, unauthorized: -32001 } as const;

const SEE_FLOW = 'nymea.md §4 Push button, §7';

export const exportFacts: ExportFacts = {
  version: '1.15.2 (JSON-RPC 9.0)',
  description:
    "nymea's Users namespace and the JSONRPC handshake and authentication methods it needs, over newline-framed " +
    'TCP (default port 2222) and WebSocket (4444). Authentication is a token from JSONRPC.Authenticate or the push ' +
    'button, sent at the top level of every request.',
  openrpc: {
    serverUrl: 'tcp://127.0.0.1:2222',
    paramStructure: 'by-name',
    envelope: {
      protocol: 'nymea JSON-RPC (not JSON-RPC 2.0): one compact JSON object per message, newline-terminated',
      transports: {
        tcp: 'tcp://HOST:2222 (nymeas:// with TLS)',
        websocket: 'ws://HOST:4444 (wss:// with TLS), one text frame per message',
      },
      request: {
        id: 'JSON-RPC `id`; required, an integer (a numeric string is read as one)',
        method: 'JSON-RPC `method`, `Namespace.Method`',
        params: 'JSON-RPC `params`, an object (anything else is read as {})',
        token: 'the session token, top level, not inside params; JSON-RPC has no place for it',
        jsonrpc: 'ignored',
      },
      reply: {
        status: '"success" (JSON-RPC result), "error" or "unauthorized" (JSON-RPC error)',
        params: `JSON-RPC \`result\`, on status "success"`,
        error: `the error text on status "error" (OpenRPC code ${NYMEA_ERROR_CODES.error}) or "unauthorized" (code ${NYMEA_ERROR_CODES.unauthorized}, and the connection is closed); the codes are accord's, nymea sends only the text`,
      },
      applicationErrors:
        'A Users call the user manager refuses is still status "success", with params.error a UserError name ' +
        "(nymea.md §2): those are results here, and each method's x-accord-errors shows them",
      notifications:
        'Server pushes {id, notification, params}: see the AsyncAPI document (accord export nymea --format asyncapi)',
    },
    errorOf(reply) {
      const message = replyJson(reply);
      if (!isRecord(message)) return undefined;
      const status = message['status'];
      if (status !== 'error' && status !== 'unauthorized') return undefined;
      const text = typeof message['error'] === 'string' ? message['error'] : JSON.stringify(message['error']);
      return { code: NYMEA_ERROR_CODES[status], message: text, data: { status } };
    },
  },
  asyncapi: {
    channels: [
      {
        id: 'tcp',
        address: 'tcp://127.0.0.1:2222',
        protocol: 'tcp',
        description: 'newline-framed JSON over TCP (nymeas:// with TLS)',
      },
      {
        id: 'websocket',
        address: 'ws://127.0.0.1:4444',
        protocol: 'ws',
        description: 'one JSON text frame per message (wss:// with TLS)',
      },
    ],
    envelope: {
      id: 'one server-wide counter from 0, not per connection: a client sees gaps; every recipient of one event gets the same id',
      notification: '`Namespace.Name`',
      params: "the notification's payload",
    },
    notifications: notifications.map((n) => ({
      name: n.name,
      description: n.description,
      payload: n.params,
      payloadExact: n.paramsStrict,
      sent: n.sent,
      to: n.to,
      see: n.see,
    })),
    subscription: {
      method: 'JSONRPC.SetNotificationStatus',
      says:
        'A new connection receives no notifications. JSONRPC.SetNotificationStatus {"namespaces": [...]} enables exactly ' +
        'those namespaces ({"enabled": true} all of them); the settings are lost on disconnect. Users notifications go to ' +
        'every connection with Users enabled, with no scope or user filtering (nymea.md §7).',
    },
    flows: [
      {
        id: 'push-button',
        description: `Authentication by the physical button (${SEE_FLOW})`,
        steps: [
          {
            send: 'client',
            message: 'JSONRPC.RequestPushButtonAuth',
            says: '{deviceName} → {success: true, transactionId: n}; n counts from 1',
          },
          {
            send: 'server',
            message: 'JSONRPC.PushButtonAuthFinished',
            says: 'on the press: {success: true, transactionId, token} to the requesting connection only, whatever its notification settings; its token becomes that one',
          },
          {
            send: 'server',
            message: 'JSONRPC.PushButtonAuthFinished',
            says: 'a newer request from anyone cancels the pending one: the earlier requester gets {success: false, transactionId} with no token',
          },
        ],
      },
    ],
  },
};
