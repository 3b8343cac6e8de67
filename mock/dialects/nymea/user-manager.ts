import { validPassword, validUsername } from '../../../src/protocols/nymea/rules.js';
import { ADMIN, consistent, maskOf } from '../../../src/protocols/nymea/scopes.js';
import type { NymeaCore } from './core.js';
import { hashPassword, saltFor, userInfo, type UserRow } from './state.js';

/**
 * nymea's user manager (nymea.md §6): the rules, the order of its checks, and the notifications it
 * emits. Every operation answers a UserError name; "UserErrorNoError" is success.
 */
export type UserError =
  | 'UserErrorNoError'
  | 'UserErrorBackendError'
  | 'UserErrorInvalidUserId'
  | 'UserErrorDuplicateUserId'
  | 'UserErrorBadPassword'
  | 'UserErrorTokenNotFound'
  | 'UserErrorPermissionDenied'
  | 'UserErrorInconsistantScopes';

export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly email?: string;
  readonly displayName?: string;
  /** Scope names; absent: an admin (an empty list is a user without permissions). */
  readonly scopes?: readonly string[];
  readonly allowedThingIds?: readonly unknown[];
}

export class UserManager {
  constructor(readonly core: NymeaCore) {}

  get #state() {
    return this.core.state;
  }

  /** Lower-cased where nymea lower-cases (login, duplicates, removal, token lists, passwords). */
  canonical(name: string): string {
    return this.core.stages.canonicalName(name);
  }

  createUser(u: NewUser): UserError {
    if (!validUsername(u.username)) return 'UserErrorInvalidUserId';
    if (!validPassword(u.password)) return 'UserErrorBadPassword';
    const scopes = u.scopes === undefined ? ADMIN : maskOf(u.scopes);
    if (!consistent(scopes)) return 'UserErrorInconsistantScopes';
    if (this.#state.user(this.canonical(u.username))) return 'UserErrorDuplicateUserId';
    this.#state.addUser({
      username: this.canonical(u.username),
      password: u.password,
      email: u.email ?? '',
      displayName: u.displayName ?? '',
      scopes,
      allowedThingIds: [...(u.allowedThingIds ?? [])] as string[],
    });
    // Quirk (§7): the notification looks the user up by the name as written; mixed case finds nobody.
    this.core.broadcast('Users.UserAdded', { userInfo: userInfo(this.#state.user(u.username)) });
    return 'UserErrorNoError';
  }

  /** ChangePassword's and ChangeUserPassword's checks: name rule, password rule, existence. */
  changePassword(username: string, newPassword: string): UserError {
    if (!validUsername(username)) return 'UserErrorInvalidUserId';
    if (!validPassword(newPassword)) return 'UserErrorBadPassword';
    const user = this.#state.user(this.canonical(username));
    if (!user) return 'UserErrorInvalidUserId';
    this.#state.users.update(user.id, { password: hashPassword(newPassword, saltFor(user.username)) });
    return 'UserErrorNoError';
  }

  removeUser(username: string): UserError {
    if (!this.#state.removeUser(this.canonical(username))) return 'UserErrorInvalidUserId';
    // The name exactly as the caller wrote it (§6 RemoveUser).
    this.core.broadcast('Users.UserRemoved', { username });
    return 'UserErrorNoError';
  }

  /** Matches the stored name exactly, unknown names included: NoError and UserChanged either way (§6 quirk). */
  setUserScopes(
    username: string,
    scopeNames: readonly string[],
    allowedThingIds: readonly unknown[] | undefined,
  ): UserError {
    const scopes = maskOf(scopeNames);
    if (!consistent(scopes)) return 'UserErrorInconsistantScopes';
    const user = this.#state.user(username);
    if (user) {
      const things = allowedThingIds === undefined ? user.allowedThingIds : this.#state.knownThings(allowedThingIds);
      this.#state.users.update(user.id, { scopes, allowedThingIds: things });
    }
    this.core.broadcast('Users.UserChanged', { userInfo: userInfo(this.#state.user(username)) });
    return 'UserErrorNoError';
  }

  setUserInfo(username: string, displayName: string | undefined, email: string | undefined): UserError {
    const user = this.#state.user(username);
    if (user) {
      const patch: Partial<UserRow> = {};
      if (displayName !== undefined) patch.displayName = displayName;
      if (email !== undefined) patch.email = email;
      this.#state.users.update(user.id, patch);
    }
    this.core.broadcast('Users.UserChanged', { userInfo: userInfo(this.#state.user(username)) });
    return 'UserErrorNoError';
  }

  removeToken(caller: UserRow, tokenId: string): UserError {
    const id = tokenId.replace(/^\{/, '').replace(/\}$/, '').toLowerCase();
    const token = this.#state.tokens.by('uuid', id);
    if (!token) return 'UserErrorTokenNotFound';
    // Even an admin may only remove its own user's tokens (§6 RemoveToken; the description says otherwise).
    if (token.username !== caller.username) return 'UserErrorPermissionDenied';
    this.#state.tokens.delete(token.id);
    return 'UserErrorNoError';
  }
}
