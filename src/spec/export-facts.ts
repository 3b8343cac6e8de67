import type { TSchema } from 'typebox';

/**
 * What a protocol's declarations cannot say on their own but an exported document needs: how to
 * authenticate, how its envelope maps onto the document's format, how its wire errors read. Declared in
 * the protocol's folder; the generators in src/export read only this and the public spec fields.
 */
export interface ExportFacts {
  /** The system's version the document describes (`info.version`). */
  readonly version: string;
  readonly description: string;
  readonly openapi?: OpenApiFacts;
  readonly openrpc?: OpenRpcFacts;
  readonly asyncapi?: AsyncApiFacts;
}

export interface LegacyRoute {
  readonly verb: string;
  readonly path: string;
  /** Where it redirects (path template), and why it is still there. */
  readonly location: string;
  readonly status: number;
  readonly description: string;
}

export interface OpenApiFacts {
  /** Server URL template of the API (`http://localhost:5000`), paths are taken from the routes. */
  readonly serverUrl: string;
  /** OpenAPI securitySchemes objects, by name; every operation accepts any one of them. */
  readonly securitySchemes: Readonly<Record<string, unknown>>;
  /** The body of every error response (`{"error": text}`). */
  readonly errorBody: TSchema;
  /** Routes that only redirect, described as operations of their own. */
  readonly legacyRoutes?: readonly LegacyRoute[];
}

/** A wire error as OpenRPC writes it. */
export interface RpcError {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

export interface OpenRpcFacts {
  readonly serverUrl: string;
  /** `by-name`, `by-position` or `either`, as OpenRPC's paramStructure. */
  readonly paramStructure: 'by-name' | 'by-position' | 'either';
  /** How the protocol's envelope maps onto JSON-RPC 2.0 (written to `x-accord-envelope`). */
  readonly envelope: Readonly<Record<string, unknown>>;
  /** The error a recorded reply carries, in OpenRPC's terms; undefined for a reply that is a success. */
  errorOf(reply: unknown): RpcError | undefined;
}

export interface ChannelFacts {
  readonly id: string;
  readonly address: string;
  readonly protocol: string;
  readonly description: string;
}

export interface NotificationFacts {
  readonly name: string;
  readonly description: string;
  readonly payload: TSchema;
  /** The payload's exact form (quirk level). */
  readonly payloadExact: TSchema;
  readonly sent: boolean;
  /** Which connections receive it. */
  readonly to: string;
  readonly see: string;
}

export interface FlowFacts {
  readonly id: string;
  readonly description: string;
  /** Steps in order: a client sends a method call, or the server sends a notification. */
  readonly steps: readonly { readonly send: 'client' | 'server'; readonly message: string; readonly says: string }[];
}

export interface AsyncApiFacts {
  readonly channels: readonly ChannelFacts[];
  /** The message every notification comes in, around its params. */
  readonly envelope: Readonly<Record<string, unknown>>;
  readonly notifications: readonly NotificationFacts[];
  /** How a connection chooses what it receives (subscribed namespaces): the method, and how it works. */
  readonly subscription: { readonly method: string; readonly says: string };
  readonly flows: readonly FlowFacts[];
}
