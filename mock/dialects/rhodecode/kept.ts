import { JsonText, renderJson } from '../../../src/wire/rhodecode.js';
import { keptList } from '../../../src/wire/written.js';
import { SerialCache, versionsOf, type Versioned } from '../../serial-cache.js';
import type { ProcedureContext } from './handler.js';
import type { RhodeCodeState, UserGroupRow, UserRow } from './state.js';

/**
 * Answers of the read methods kept written (mock/serial-cache.ts), so that a read that finds nothing
 * changed sends the text it sent last time: get_user, each user of get_users (and the whole list), each
 * user group of get_user_groups, get_user_group. A piece's stamp is the version of each row and table it
 * was read from (mock/directory.ts moves them on every write, whichever method, fault or seed made it).
 * The methods' checks (who may see what) still run on every call; only the writing of the answer is kept.
 * The stages a piece is made with (userApi, faults) are fixed for a dialect's life, and each dialect has a
 * state of its own: the caches hang on the state, and a reset (a new dialect) starts with none.
 */
interface Kept {
  readonly users: SerialCache<string, JsonText>;
  readonly userLists: SerialCache<'all', readonly JsonText[]>;
  readonly getUser: SerialCache<number, JsonText>;
  readonly groups: SerialCache<string, JsonText>;
  readonly getGroup: SerialCache<number, JsonText>;
}

const kept = new WeakMap<RhodeCodeState, Kept>();

function keptOf(state: RhodeCodeState): Kept {
  let k = kept.get(state);
  if (!k) {
    k = {
      users: new SerialCache(),
      userLists: new SerialCache(),
      getUser: new SerialCache(),
      groups: new SerialCache(),
      getGroup: new SerialCache(),
    };
    kept.set(state, k);
  }
  return k;
}

/** Every table and relation but users and tokens: what object permissions, groups and repositories are made of. */
function objectTables(state: RhodeCodeState): Versioned[] {
  return [
    state.userGroups,
    state.repos,
    state.repoGroups,
    state.members,
    ...Object.values(state.userPerms),
    ...Object.values(state.groupPerms),
  ];
}

/** A user row's version and, where shown, its tokens (the only other table a user object is read from). */
function userStamp(state: RhodeCodeState, user: UserRow, secrets: boolean): string {
  const tokens = secrets
    ? state
        .tokensOf(user.id)
        .map((t) => t.token)
        .join(',')
    : '';
  return `${user.id}:${state.users.versionOf(user.id) ?? '-'}|${tokens}`;
}

/** One user object as get_api_data() writes it (get_users' elements). */
export function keptUser(ctx: ProcedureContext, user: UserRow, secrets: boolean): JsonText {
  const { state } = ctx;
  return keptOf(state).users.textUnlessWritten(
    `${user.id}|${secrets}`,
    () => userStamp(state, user, secrets),
    () => new JsonText(renderJson(ctx.userApi(state, user, secrets))),
  );
}

/** get_users' list (a kept list: the wire writes it once), made again from the kept users when a user or token changed. */
export function keptUserList(ctx: ProcedureContext, users: () => readonly UserRow[]): readonly JsonText[] {
  const { state } = ctx;
  const k = keptOf(state);
  const list = k.userLists.textUnlessWritten(
    'all',
    () => versionsOf(state.users, state.tokens),
    () => keptList(users().map((u) => keptUser(ctx, u, true))),
  );
  k.users.prune(state.users.size * 2, (key) => state.users.get(Number(key.split('|')[0])) !== undefined);
  return list;
}

/** get_user's answer about `user`: the user object with its permissions, which every object table, the default user and its tokens make. */
export function keptGetUser(ctx: ProcedureContext, user: UserRow, make: () => unknown): JsonText {
  const { state } = ctx;
  const stamp = () => {
    const def = state.defaultUser;
    return `${userStamp(state, user, true)}|${def ? userStamp(state, def, false) : '-'}|${versionsOf(...objectTables(state))}`;
  };
  const k = keptOf(state);
  const text = k.getUser.textUnlessWritten(user.id, stamp, () => new JsonText(renderJson(make())));
  k.getUser.prune(state.users.size, (id) => state.users.get(id) !== undefined);
  return text;
}

/** One user group object (get_user_groups' elements): the group, its owner and members (users, their tokens where shown). */
export function keptGroup(ctx: ProcedureContext, group: UserGroupRow, secrets: boolean, make: () => unknown): JsonText {
  const { state } = ctx;
  const stamp = () =>
    `${state.userGroups.versionOf(group.id) ?? '-'}|${versionsOf(state.users, state.members, ...(secrets ? [state.tokens] : []))}`;
  const k = keptOf(state);
  const text = k.groups.textUnlessWritten(`${group.id}|${secrets}`, stamp, () => new JsonText(renderJson(make())));
  k.groups.prune(state.userGroups.size * 2, (key) => state.userGroups.get(Number(key.split('|')[0])) !== undefined);
  return text;
}

/** get_user_group's answer: the group object with its permission rows, which users (super-admins, names) and every object table make. */
export function keptGetGroup(ctx: ProcedureContext, group: UserGroupRow, make: () => unknown): JsonText {
  const { state } = ctx;
  const k = keptOf(state);
  const text = k.getGroup.textUnlessWritten(
    group.id,
    () => versionsOf(state.users, ...objectTables(state)),
    () => new JsonText(renderJson(make())),
  );
  k.getGroup.prune(state.userGroups.size, (id) => state.userGroups.get(id) !== undefined);
  return text;
}
