import type { KanboardState, UserRow } from './state.js';
import { PROJECT_ROLE_RANK, rankOf } from '../../../src/protocols/kanboard/records.js';
import { readId } from './database.js';

/** Who is calling: the application API, or an authenticated user (its row as loaded for this request). */
export type Caller = { readonly kind: 'app' } | { readonly kind: 'user'; readonly user: UserRow };

export interface ProcedureContext {
  readonly state: KanboardState;
  readonly caller: Caller;
  /** Unix seconds. */
  now(): number;
}

/** A procedure of one of Kanboard's procedure classes, with arguments bound by name. */
export interface Procedure {
  /** The PHP class: decides the application role required (kanboard.md §4) and getClassName's answer. */
  readonly className: string;
  run(ctx: ProcedureContext, args: Readonly<Record<string, unknown>>): unknown;
}

/** AccessDeniedException: HTTP 403, and the rest of a batch is dropped. */
export class AccessDenied extends Error {}

/** Any other exception thrown in a procedure body: error code 0 with its message (kanboard.md §3 step 8). */
export class ProcedureError extends Error {}

/** A PHP fatal error (TypeError...): HTTP 500 with an empty body. */
export class Fatal extends Error {}

/**
 * How PHP and PDO turn a parameter into an id to look up: `"2"` and `2.0` find 2, `true` finds 1;
 * `"abc"`, arrays and objects find nothing (kanboard.md §3 step 7).
 */
export function phpId(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*-?\d+(\.0*)?\s*$/.test(value)) return Math.trunc(Number(value));
  return undefined;
}

/** How PHP turns a bound parameter into the text PDO sends: false is "", arrays "Array". */
export function boundText(value: unknown): string {
  if (typeof value === 'boolean') return value ? '1' : '';
  if (typeof value === 'object' && value !== null) return 'Array';
  return String(value);
}

/**
 * An id as the database reads it where a statement compares it (database.ts readId: SQLite as phpId,
 * PostgreSQL refuses a text that is not an integer with 22P02, MariaDB reads its leading number).
 * `parameter`: its place in the statement. null binds as NULL: nothing found.
 */
export function sqlId(ctx: ProcedureContext, value: unknown, parameter = 1): number | undefined {
  return readId(ctx.state.db, value, parameter);
}

/** PHP's `empty()`: what Kanboard treats as "no project id". */
export function phpEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === false ||
    value === 0 ||
    value === '' ||
    value === '0' ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** PHP truthiness, for flags like prepend_unassigned. */
export function phpTruthy(value: unknown): boolean {
  return !phpEmpty(value) && !(typeof value === 'number' && value === 0);
}

/** A scalar as PHP would turn it into a string; arrays and objects cannot be (a TypeError: fatal). */
export function phpString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '';
  throw new Fatal('TypeError');
}

/** A user's role on a project: the direct role, else the highest role among its groups, else "". */
export function projectRoleOf(state: KanboardState, projectId: number, userId: number): string {
  const direct = state.projectUsers.get(projectId, userId);
  if (direct !== undefined) return direct;
  let best = '';
  for (const groupId of state.projectGroups.rightsOf(projectId)) {
    if (!state.groupMembers.has(groupId, userId)) continue;
    const role = state.projectGroups.get(projectId, groupId) ?? '';
    if (best === '' || (rankOf(PROJECT_ROLE_RANK, role) ?? -1) > (rankOf(PROJECT_ROLE_RANK, best) ?? -1)) best = role;
  }
  return best;
}

/**
 * ProjectAuthorization::check, run inside the procedure body: users need the role on the project;
 * the application API passes; an empty project id is a 403 (kanboard.md §4).
 */
export function requireProjectRole(ctx: ProcedureContext, projectIdParam: unknown, min: string): void {
  if (ctx.caller.kind !== 'user') return;
  if (phpEmpty(projectIdParam)) throw new AccessDenied('Project Not Found');
  const projectId = sqlId(ctx, projectIdParam, 2);
  const role = projectId === undefined ? '' : projectRoleOf(ctx.state, projectId, ctx.caller.user.id);
  if (role === '' || (rankOf(PROJECT_ROLE_RANK, role) ?? -1) < (rankOf(PROJECT_ROLE_RANK, min) ?? 0))
    throw new AccessDenied('Project Access Denied');
}

export { byteOrder } from '../../../src/wire/text.js';
