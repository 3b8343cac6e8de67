import { protocolById } from '../protocols/index.js';
import { base64FromUtf8 } from '../wire/text.js';
import type { TargetConfig } from './target.js';

/**
 * Secrets given for a live target never appear in reports or output: every occurrence of a secret value
 * (and of the Basic-auth encoding of a user:password pair) is replaced by a marker naming its flag.
 * Mock targets keep theirs: the mock prints them anyway, and reproduction lines then work as pasted.
 */
export function redactorFor(target: TargetConfig): (text: string) => string {
  const protocol = protocolById(target.protocol);
  if (target.mock || !protocol) return (text) => text;
  const pairs: [string, string][] = [];
  for (const option of protocol.given) {
    if (!option.secret) continue;
    const value = target.given[option.key];
    const marker = `<--${option.flag}>`;
    if (typeof value === 'string' && value !== '') {
      pairs.push([value, marker]);
      for (const form of option.wireForms?.(value) ?? []) pairs.push([form, marker]);
    }
    else if (typeof value === 'object' && value !== null && 'password' in value) {
      const { username, password } = value as { username: string; password: string };
      pairs.push([base64FromUtf8(`${username}:${password}`), marker]);
      if (password.length >= 4) pairs.push([password, marker]);
    }
  }
  // Longest first, so that a secret containing another is replaced whole.
  pairs.sort((a, b) => b[0].length - a[0].length);
  return (text) => pairs.reduce((t, [secret, marker]) => t.split(secret).join(marker), text);
}
