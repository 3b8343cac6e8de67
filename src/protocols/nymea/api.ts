import data from './nymea-users-api.json' with { type: 'json' };

/**
 * nymea's own description of the Users and JSONRPC namespaces: the JSONRPC.Introspect data of nymea 1.15.2
 * (JSON-RPC 9.0), kept verbatim in nymea-users-api.json (see its `_meta`). Everything the spec says about
 * params, returns, types and scopes is derived from it (schemas.ts); nothing here retypes it.
 */

/**
 * nymea's type notation: a basic type name (`String`, `Uuid`...), `$ref:<enum|flags|type>`, a one-element
 * list (`[T]`: a list of T) or an object whose keys may carry prefixes (`o:` optional, `r:` read-only,
 * `d:` deprecated).
 */
export type TypeNotation = string | readonly TypeNotation[] | { readonly [key: string]: TypeNotation };
export type ObjectNotation = { readonly [key: string]: TypeNotation };

export interface ApiMethod {
  readonly description: string;
  readonly params: ObjectNotation;
  readonly permissionScope: string;
  readonly returns: ObjectNotation;
}

export interface ApiNotification {
  readonly description: string;
  readonly params: ObjectNotation;
}

export interface NymeaApi {
  readonly enums: Readonly<Record<string, readonly string[]>>;
  readonly flags: Readonly<Record<string, readonly TypeNotation[]>>;
  readonly types: Readonly<Record<string, TypeNotation>>;
  readonly methods: Readonly<Record<string, ApiMethod>>;
  readonly notifications: Readonly<Record<string, ApiNotification>>;
}

export const API: NymeaApi = data;

export const PROTOCOL_VERSION: string = data._meta.jsonRpcProtocolVersion;

/** The 16 handler namespaces of a nymea 1.15 server: the names SetNotificationStatus accepts (nymea.md §7). */
export const NAMESPACES: readonly string[] = data._meta.allNamespacesInDump;

/** A key of an object notation, its prefixes read: `d:o:enabled` is the optional, deprecated `enabled`. */
export interface ParsedKey {
  readonly name: string;
  readonly optional: boolean;
  readonly readOnly: boolean;
  readonly deprecated: boolean;
}

export function parseKey(key: string): ParsedKey {
  const prefixes = /^((?:[a-z]:)*)/.exec(key)?.[1] ?? '';
  const flags = prefixes.split(':').filter((p) => p !== '');
  return {
    name: key.slice(prefixes.length),
    optional: flags.includes('o'),
    readOnly: flags.includes('r'),
    deprecated: flags.includes('d'),
  };
}

export function apiMethod(name: string): ApiMethod {
  const method = API.methods[name];
  if (!method) throw new Error(`the nymea introspection data has no method ${name}`);
  return method;
}

export function apiNotification(name: string): ApiNotification {
  const notification = API.notifications[name];
  if (!notification) throw new Error(`the nymea introspection data has no notification ${name}`);
  return notification;
}

/** `Users.CreateUser` → `Users`. */
export function namespaceOf(name: string): string {
  return name.split('.')[0] ?? '';
}
