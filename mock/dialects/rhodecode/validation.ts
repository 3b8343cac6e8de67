import { pyRepr } from '../../../src/wire/python.js';

/**
 * The colander schemas create_user and create_user_group run (rhodecode.md §3). Python's `$` also matches
 * before a final newline, and `\w` is ASCII-only here (no re.UNICODE).
 */
const USERNAME = /^[A-Za-z0-9_][A-Za-z0-9_\-.]{0,254}\n?$/;
const USERNAME_RULE =
  'Username may only contain alphanumeric characters underscores, periods or dashes and must begin with alphanumeric character or underscore';
const EMAIL = /^[A-Z0-9._%!#$&'*+,\-./=?^_`{|}~()]+@[A-Z0-9]+([.-][A-Z0-9]+)*\.[A-Z]{2,22}$/i;
const GROUP_NAME = /^[a-zA-Z0-9][a-zA-Z0-9\-_.]+\n?$/;
const TRUE = ['true', 't', 'yes', 'y', 'on', '1'];

/** rhodecode.lib.utils2.str2bool: one of the TRUE words (case and spaces aside), anything else false. */
export function str2bool(value: string): boolean {
  return TRUE.includes(value.trim().toLowerCase());
}
const FALSE = ['false', 'f', 'no', 'n', 'off', '0'];

/**
 * colander.String: a falsy value is missing ("Required", or the node's `missing`); other scalars are turned
 * into text (UserSchema and UserGroupSchema, rhodecode/model/validation_schema/schemas/).
 */
export function text(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '' || value === false || value === 0) return undefined;
  return typeof value === 'string' ? value : pyRepr(value);
}

/** StringBooleanType. */
export function stringBool(value: unknown): { value: boolean } | { error: string } {
  if (typeof value === 'boolean') return { value };
  if (typeof value !== 'string') return { error: `${pyRepr(value)} is not a string` };
  const lower = value.toLowerCase();
  if (TRUE.includes(lower)) return { value: true };
  if (FALSE.includes(lower)) return { value: false };
  return { error: `${lower} value cannot be translated to bool` };
}

export interface UserInput {
  readonly username: unknown;
  readonly email: unknown;
  readonly active: unknown;
  readonly admin: unknown;
}

/** UserSchema: the errors by field, or the deserialized values. */
export function validateUser(
  input: UserInput,
): { errors: Record<string, string> } | { username: string; email: string; active: boolean; admin: boolean } {
  const errors: Record<string, string> = {};
  const username = text(input.username);
  if (username === undefined) errors['username'] = 'Required';
  else if (!USERNAME.test(username)) errors['username'] = USERNAME_RULE;
  const email = text(input.email);
  if (email === undefined) errors['email'] = 'Required';
  else if (!EMAIL.test(email)) errors['email'] = 'Invalid email address';
  const active = stringBool(input.active);
  if ('error' in active) errors['active'] = active.error;
  const admin = stringBool(input.admin);
  if ('error' in admin) errors['admin'] = admin.error;
  if (
    Object.keys(errors).length > 0 ||
    username === undefined ||
    email === undefined ||
    'error' in active ||
    'error' in admin
  )
    return { errors };
  return { username, email, active: active.value, admin: admin.value };
}

/** UserGroupSchema. */
export function validateUserGroup(
  name: unknown,
  activeValue: unknown,
): { errors: Record<string, string> } | { name: string; active: boolean } {
  const errors: Record<string, string> = {};
  const groupName = text(name);
  if (groupName === undefined) errors['user_group_name'] = 'Required';
  else if (!GROUP_NAME.test(groupName))
    errors['user_group_name'] =
      `Allowed in name are letters, numbers, and \`-\`, \`_\`, \`.\` Name must start with a letter or number. Got \`${groupName}\``;
  const active = stringBool(activeValue);
  if ('error' in active) errors['user_group_active'] = active.error;
  if (groupName === undefined || 'error' in active || Object.keys(errors).length > 0) return { errors };
  return { name: groupName, active: active.value };
}
