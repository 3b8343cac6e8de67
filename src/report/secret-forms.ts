import type { GivenOption } from '../spec/protocol.js';
import { base64FromUtf8 } from '../wire/text.js';
import { COMMON_SECRETS } from './common-secrets.js';

/** Shorter secrets match too much ordinary text to be replaced outside credential positions. */
export const SHORTEST_FREE_TEXT_SECRET = 8;

/** One secret the user gave, and the forms it takes in exchanges and output. */
export interface GivenSecret {
  /** `<--admin>`: what every form of it becomes. */
  readonly marker: string;
  readonly flag: string;
  /** Too short or too common to replace in free text: removed from credential positions only. */
  readonly weak: boolean;
  /** Replaced wherever they appear (a weak secret's own text is left out; its encodings stay in). */
  readonly freeText: readonly string[];
  /** Every form, for naming what a credential position held. */
  readonly all: readonly string[];
}

/** Too short, the user name itself, or a common password or word. */
export function isWeakSecret(secret: string, username?: string): boolean {
  return secret.length < SHORTEST_FREE_TEXT_SECRET || secret === username || COMMON_SECRETS.has(secret.toLowerCase());
}

/** The ways a text can be written in an exchange or a report: as is, percent-, form-, JSON- and shell-escaped. */
function encodings(text: string): string[] {
  return [
    text,
    encodeURIComponent(text),
    encodeURIComponent(text).replace(/%20/g, '+'),
    JSON.stringify(text).slice(1, -1),
    text.replace(/'/g, `'\\''`),
    // clip() flattens whitespace in one-line messages.
    text.replace(/\s+/g, ' '),
  ];
}

/** The secrets among a target's given options, with their forms. */
export function givenSecrets(options: readonly GivenOption[], given: Readonly<Record<string, unknown>>): GivenSecret[] {
  const secrets: GivenSecret[] = [];
  for (const option of options) {
    if (!option.secret) continue;
    const value = given[option.key];
    let plain: string;
    let weak: boolean;
    // Encodings that embed the secret in something longer (Basic base64 of user:secret): never words.
    let wrapped: string[];
    if (typeof value === 'string' && value !== '') {
      plain = value;
      weak = isWeakSecret(value);
      wrapped = [...(option.wireForms?.(value) ?? [])];
    } else if (typeof value === 'object' && value !== null && 'password' in value) {
      const { username, password } = value as { username: string; password: string };
      if (password === '') continue;
      plain = password;
      weak = isWeakSecret(password, username);
      wrapped = [base64FromUtf8(`${username}:${password}`)];
    } else continue;
    wrapped = wrapped.filter((w) => w.length >= SHORTEST_FREE_TEXT_SECRET);
    const own = [...new Set(encodings(plain))];
    secrets.push({
      marker: `<--${option.flag}>`,
      flag: option.flag,
      weak,
      freeText: weak ? wrapped : [...own, ...wrapped],
      all: [...own, ...wrapped],
    });
  }
  return secrets;
}
