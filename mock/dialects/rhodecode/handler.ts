import { pyIsInt, pyStr } from '../../../src/wire/python.js';
import type { ValidationErrors } from '../../../src/wire/rhodecode.js';
import type { userApi } from './api-data.js';
import {
  PERMISSIONS,
  type ObjectKind,
  type RepoGroupRow,
  type RepoRow,
  type RhodeCodeState,
  type UserGroupRow,
  type UserRow,
} from './state.js';

/** What a method body works with: the state, the authenticated caller, and the stages faults may replace. */
export interface ProcedureContext {
  readonly state: RhodeCodeState;
  readonly caller: UserRow;
  /** The caller's (or another user's) effective permission on an object. */
  permission(user: UserRow, kind: ObjectKind, id: number): string;
  /** User objects as get_api_data() builds them. */
  readonly userApi: typeof userApi;
  now(): Date;
}

export type Args = Readonly<Record<string, unknown>>;

/** A method's result, with the deprecation warning of a deprecated alias. */
export type ProcedureResult = unknown;

export interface Procedure {
  run(ctx: ProcedureContext, args: Args): ProcedureResult;
  /** Set for deprecated aliases: the method to use instead. */
  readonly deprecatedFor?: string;
}

/** JSONRPCError / JSONRPCValidationError / JSONRPCForbidden (rhodecode.md §1.2). */
export class RpcError extends Error {
  constructor(readonly error: string | ValidationErrors) {
    super(typeof error === 'string' ? error : JSON.stringify(error));
  }
}

export const FORBIDDEN = 'Access was denied to this resource.';

export function isSuperAdmin(user: UserRow): boolean {
  return user.admin;
}

/** The argument as sent, or the method's default when it was not sent. */
export function given(args: Args, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(args, name);
}

/** A JSON integer (or a bool, an int in Python) is an id; anything else is a name (§1.2). */
function byIdOrName<R>(
  value: unknown,
  byId: (id: number) => R | undefined,
  byName: (name: string) => R | undefined,
): R | undefined {
  if (pyIsInt(value)) return byId(typeof value === 'boolean' ? Number(value) : value);
  return typeof value === 'string' ? byName(value) : undefined;
}

export function getUserOrError(state: RhodeCodeState, userid: unknown): UserRow {
  const user = byIdOrName(
    userid,
    (id) => state.users.get(id),
    (name) => state.users.by('username', name),
  );
  if (!user) throw new RpcError(`user \`${pyStr(userid)}\` does not exist`);
  return user;
}

export function getUserGroupOrError(state: RhodeCodeState, id: unknown): UserGroupRow {
  const group = byIdOrName(
    id,
    (n) => state.userGroups.get(n),
    (name) => state.userGroups.by('name', name),
  );
  if (!group) throw new RpcError(`user group \`${pyStr(id)}\` does not exist`);
  return group;
}

export function getRepoOrError(state: RhodeCodeState, id: unknown): RepoRow {
  const repo = byIdOrName(
    id,
    (n) => state.repos.get(n),
    (name) => state.repos.by('name', name),
  );
  if (!repo) throw new RpcError(`repository \`${pyStr(id)}\` does not exist`);
  return repo;
}

export function getRepoGroupOrError(state: RhodeCodeState, id: unknown): RepoGroupRow {
  const group = byIdOrName(
    id,
    (n) => state.repoGroups.get(n),
    (name) => state.repoGroups.by('name', name),
  );
  if (!group) throw new RpcError(`repository group \`${pyStr(id)}\` does not exist`);
  return group;
}

/** get_perm_or_error: the key must exist; with a prefix, it must also start with it. */
export function getPermOrError(perm: unknown, prefix?: string): string {
  if (typeof perm !== 'string' || !PERMISSIONS.includes(perm)) {
    throw new RpcError(
      `permission \`${pyStr(perm)}\` does not exist.${prefix ? ` Permission should start with prefix: \`${prefix}\`` : ''}`,
    );
  }
  if (prefix && !perm.startsWith(prefix))
    throw new RpcError(`permission \`${perm}\` is invalid, should start with ${prefix}`);
  return perm;
}

const ORDER: Readonly<Record<string, number>> = { none: 0, read: 1, write: 3, admin: 4 };

/** Does the caller hold at least `min` on the object (super-admins always do)? */
export function holds(ctx: ProcedureContext, kind: ObjectKind, id: number, min: 'read' | 'admin'): boolean {
  if (isSuperAdmin(ctx.caller)) return true;
  return (ORDER[ctx.permission(ctx.caller, kind, id).split('.').pop() ?? ''] ?? 0) >= (ORDER[min] ?? 0);
}
