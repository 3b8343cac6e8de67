/**
 * The user manager's rules on names and passwords (nymea.md §6 Shared rules). Shared by the spec (what a
 * valid call sends) and the mock (what it refuses).
 */

/** At least 3 consecutive characters of letters, digits, `_` and ASCII `+` to `@`. Not anchored: `abc def` passes. */
const USERNAME = /[A-Za-z0-9_+-@]{3,}/;

export function validUsername(name: string): boolean {
  return USERNAME.test(name);
}

/** 8 or more characters with a lower-case letter, an upper-case letter and a digit; no special character needed. */
export function validPassword(password: string): boolean {
  return password.length >= 8 && /[a-z]/.test(password) && /[A-Z]/.test(password) && /[0-9]/.test(password);
}

/** A password every nymea accepts, different each time. */
export function newPassword(): string {
  return `Accord-${Math.random().toString(36).slice(2, 10)}-Pw1`;
}
