import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { REPORT_FILES } from '../../src/report/write.js';
import { base64FromUtf8 } from '../../src/wire/text.js';
import type { CliRun } from './cli.js';

/**
 * Secrets with characters that every escaping changes (a quote, a backslash, a space, `+/&%'`) around a
 * core (`Zq7Vx…`) that none changes, so that a secret shows up however a writer encodes it; and the
 * search for them in everything a run wrote (test/live/redaction.test.ts, test/conformance.test.ts).
 */
export interface SecretCase {
  readonly id: string;
  /** Credential flags, as given to `accord check` (and to `accord serve`, unless `serve` says otherwise). */
  readonly flags: readonly string[];
  readonly serve?: readonly string[];
  /** The secrets (passwords alone, not user:password) and the cores that must not appear either. */
  readonly secrets: readonly string[];
  /** Longer forms: base64 of user:password, of Kanboard's jsonrpc:token. */
  readonly wrapped: readonly string[];
}

export const odd = (core: string) => `Pw"${core}\\ x+/&%'9`;
const pair = (user: string, password: string) => ({
  flag: `${user}:${password}`,
  b64: base64FromUtf8(`${user}:${password}`),
});

export const kbToken = odd('Zq7Vx-kb-app-Tok');
const kbAdmin = pair('admin', odd('Zq7Vx-kb-admin-Pw'));
const nyAdmin = pair('admin', odd('Zq7Vx-ny-admin-Pw1'));
const key = (tag: string) => `Zq7Vx-${tag}_0123456789abcdefghijklmnopqrstuvw`;
const octoprintCase = (id: string, tag: string): SecretCase => ({
  id,
  flags: ['--admin-key', key(`${tag}-admin`), '--user-key', key(`${tag}-user`), '--global-key', key(`${tag}-global`)],
  secrets: [key(`${tag}-admin`), key(`${tag}-user`), key(`${tag}-global`)],
  wrapped: [],
});
const rcAdmin = `Zq7Vx"rc\\admin-0123456789abcdef0123456789`;
const rcUser = `Zq7Vx"rc\\user-0123456789abcdef01234567890`;

/** Strong secrets for every protocol, as a user gives them to `accord check` (and `accord serve` takes them). */
export const STRONG: readonly SecretCase[] = [
  {
    id: 'kanboard',
    flags: ['--app-token', kbToken, '--admin', kbAdmin.flag],
    secrets: [kbToken, odd('Zq7Vx-kb-admin-Pw')],
    wrapped: [kbAdmin.b64, base64FromUtf8(`jsonrpc:${kbToken}`)],
  },
  octoprintCase('octoprint', 'op'),
  octoprintCase('octoprint-1.3', 'op13'),
  {
    id: 'rhodecode',
    flags: ['--admin-token', rcAdmin, '--user-token', rcUser],
    secrets: [rcAdmin, rcUser],
    wrapped: [],
  },
  { id: 'nymea', flags: ['--admin', nyAdmin.flag], secrets: [odd('Zq7Vx-ny-admin-Pw1')], wrapped: [nyAdmin.b64] },
];

export function strongCase(id: string): SecretCase {
  const c = STRONG.find((s) => s.id === id);
  if (!c) throw new Error(`no strong secrets for ${id}`);
  return c;
}

/** Every way a writer may have written a text: as is, percent-, JSON- (once and twice), HTML- and XML-escaped. */
function written(text: string): string[] {
  const json = (s: string) => JSON.stringify(s).slice(1, -1);
  const html = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const escaped = [text, json(text), json(json(text))];
  return [...new Set([...escaped, encodeURIComponent(text), ...escaped.map(html)])];
}

/** The cores: what is left of a secret once its escaped characters are taken out. */
const coresOf = (secret: string) => secret.split(/["\\ +/&%']/).filter((part) => part.length >= 8);

/** A run's output and every report it wrote for a target. */
export function outputs(run: CliRun, reports: string, target: string): { name: string; text: string }[] {
  return [
    { name: 'stdout', text: run.stdout },
    { name: 'stderr', text: run.stderr },
    ...REPORT_FILES.map((f) => ({ name: f, text: readFileSync(join(reports, target, f), 'utf8') })),
  ];
}

export function expectNoSecret(
  texts: readonly { name: string; text: string }[],
  c: Pick<SecretCase, 'secrets' | 'wrapped'>,
): void {
  const needles = [...c.wrapped.flatMap(written), ...c.secrets.flatMap((s) => [...written(s), ...coresOf(s)])];
  for (const { name, text } of texts) {
    for (const needle of needles) expect(text.includes(needle), `${name} contains ${needle}`).toBe(false);
    // A marker is a whole value: never inside a word (`app-<--admin>`), never redacted again (`<--<--admin>>`).
    expect(text, name).not.toMatch(/[\w-]<--|<--[a-z-]+>\w|<--<--|<(?:&lt;)?--(?:&lt;|<)/);
  }
}
