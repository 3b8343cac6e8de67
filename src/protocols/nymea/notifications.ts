import type { TObject } from 'typebox';
import { API, apiNotification } from './api.js';
import { notificationSchema } from './schemas.js';

/**
 * The notifications of the Users and JSONRPC namespaces, declared from the introspection data, with what
 * the data cannot say: whether nymea ever sends it, to whom, and which scenario covers it.
 */
export interface NotificationSpec {
  readonly name: string;
  readonly description: string;
  /** The params as documented (more keys allowed) and exactly (quirk). */
  readonly params: TObject;
  readonly paramsStrict: TObject;
  /** Does nymea 1.15.2 ever send it? */
  readonly sent: boolean;
  readonly to: string;
  readonly see: string;
}

const FACTS: Readonly<Record<string, Pick<NotificationSpec, 'sent' | 'to' | 'see'>>> = {
  'Users.UserAdded': { sent: true, to: 'every connection subscribed to Users', see: 'nymea.md §7' },
  'Users.UserChanged': { sent: true, to: 'every connection subscribed to Users', see: 'nymea.md §7' },
  'Users.UserRemoved': { sent: true, to: 'every connection subscribed to Users', see: 'nymea.md §7' },
  'JSONRPC.PushButtonAuthFinished': {
    sent: true,
    to: 'the requesting connection only, whatever its notification settings',
    see: 'nymea.md §4 Push button, §7',
  },
  // The Users handler declares it but has no signal for it: the push-button result comes as JSONRPC.PushButtonAuthFinished.
  'Users.PushButtonAuthFinished': {
    sent: false,
    to: 'nobody: declared in the introspection data, never sent',
    see: 'nymea.md §7, §10',
  },
};

export const notifications: readonly NotificationSpec[] = Object.keys(API.notifications).map((name) => {
  const facts = FACTS[name];
  if (!facts)
    throw new Error(`the notification ${name} of the introspection data is not described in notifications.ts`);
  return {
    name,
    description: apiNotification(name).description,
    params: notificationSchema(name, false),
    paramsStrict: notificationSchema(name, true),
    ...facts,
  };
});
