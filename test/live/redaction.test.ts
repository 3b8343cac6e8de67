import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { serveFlagsFor } from '../../src/commands/given.js';
import { REPORT_FILES } from '../../src/report/write.js';
import { base64FromUtf8 } from '../../src/wire/text.js';
import { runCli, tempReports, type CliRun } from '../support/cli.js';
import { serve } from '../support/serve.js';

/**
 * No secret a user gives appears, in any form, in the output or the reports of a live run; and redaction
 * changes no ordinary word. Each served mock is given secrets with characters that every escaping changes
 * (a quote, a backslash, a space, `+/&%'`) around a core (`Zq7Vx…`) that none changes, so a secret shows
 * up however a writer encodes it.
 */
interface Case {
  readonly id: string;
  /** Credential flags, as given to `accord check` (and to `accord serve`, unless `serve` says otherwise). */
  readonly flags: readonly string[];
  readonly serve?: () => readonly string[];
  /** The secrets (passwords alone, not user:password) and the cores that must not appear either. */
  readonly secrets: readonly string[];
  /** Longer forms: base64 of user:password, of Kanboard's jsonrpc:token. */
  readonly wrapped: readonly string[];
}

const odd = (core: string) => `Pw"${core}\\ x+/&%'9`;
const pair = (user: string, password: string) => ({
  flag: `${user}:${password}`,
  b64: base64FromUtf8(`${user}:${password}`),
});

const kbToken = odd('Zq7Vx-kb-app-Tok');
const kbAdmin = pair('admin', odd('Zq7Vx-kb-admin-Pw'));
const nyAdmin = pair('admin', odd('Zq7Vx-ny-admin-Pw1'));
const key = (tag: string) => `Zq7Vx-${tag}_0123456789abcdefghijklmnopqrstuvw`;
const octoprintCase = (id: string, tag: string): Case => ({
  id,
  flags: ['--admin-key', key(`${tag}-admin`), '--user-key', key(`${tag}-user`), '--global-key', key(`${tag}-global`)],
  secrets: [key(`${tag}-admin`), key(`${tag}-user`), key(`${tag}-global`)],
  wrapped: [],
});

const STRONG: readonly Case[] = [
  // Kanboard's mock takes its admin from a seed (a fresh install has admin/admin).
  {
    id: 'kanboard',
    flags: ['--app-token', kbToken, '--admin', kbAdmin.flag],
    serve: () => ['--seed', kanboardSeed(odd('Zq7Vx-kb-admin-Pw'))],
    secrets: [kbToken, odd('Zq7Vx-kb-admin-Pw')],
    wrapped: [kbAdmin.b64, base64FromUtf8(`jsonrpc:${kbToken}`)],
  },
  octoprintCase('octoprint', 'op'),
  octoprintCase('octoprint-1.3', 'op13'),
  {
    id: 'rhodecode',
    flags: [
      '--admin-token', `Zq7Vx"rc\\admin-0123456789abcdef0123456789`,
      '--user-token', `Zq7Vx"rc\\user-0123456789abcdef01234567890`,
    ],
    secrets: [`Zq7Vx"rc\\admin-0123456789abcdef0123456789`, `Zq7Vx"rc\\user-0123456789abcdef01234567890`],
    wrapped: [],
  },
  { id: 'nymea', flags: ['--admin', nyAdmin.flag], secrets: [odd('Zq7Vx-ny-admin-Pw1')], wrapped: [nyAdmin.b64] },
];

function kanboardSeed(password: string): string {
  const file = join(tempReports(), 'seed.json');
  const admin = { username: 'admin', password, role: 'app-admin', name: null, email: null };
  writeFileSync(file, JSON.stringify({ appToken: kbToken, users: [admin] }));
  return file;
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

function outputs(run: CliRun, reports: string, target: string): { name: string; text: string }[] {
  return [
    { name: 'stdout', text: run.stdout },
    { name: 'stderr', text: run.stderr },
    ...REPORT_FILES.map((f) => ({ name: f, text: readFileSync(join(reports, target, f), 'utf8') })),
  ];
}

function expectNoSecret(
  texts: readonly { name: string; text: string }[],
  c: Pick<Case, 'secrets' | 'wrapped'>,
): void {
  const needles = [...c.wrapped.flatMap(written), ...c.secrets.flatMap((s) => [...written(s), ...coresOf(s)])];
  for (const { name, text } of texts) {
    for (const needle of needles) expect(text.includes(needle), `${name} contains ${needle}`).toBe(false);
    // A marker is a whole value: never inside a word (`app-<--admin>`), never redacted again (`<--<--admin>>`).
    expect(text, name).not.toMatch(/[\w-]<--|<--[a-z-]+>\w|<--<--|<(?:&lt;)?--(?:&lt;|<)/);
  }
}

async function checkServed(c: Case, extra: readonly string[] = []): Promise<{ run: CliRun; reports: string }> {
  const server = await serve([c.id, ...serveFlagsFor(c.id, { withSecrets: false }), ...(c.serve?.() ?? c.flags)]);
  try {
    const reports = tempReports();
    const flags = [...serveFlagsFor(c.id, { withSecrets: false }), ...c.flags];
    const run = await runCli(['check', c.id, '--url', server.url, ...flags, '--level', 'quirk', '--reports', reports, ...extra]);
    return { run, reports };
  } finally {
    await server.stop();
  }
}

describe.each(STRONG)('a live check of $id with strong secrets', (c) => {
  test('shows no form of any secret in its output or reports', async () => {
    const { run, reports } = await checkServed(c);
    expect(run.code, run.stdout.slice(-2000) + run.stderr).toBe(0);
    expectNoSecret(outputs(run, reports, c.id), c);
    expect(run.stdout).not.toMatch(/too short or too common/);
  });
});

describe('weak secrets (admin:admin) are removed where credentials go, and no ordinary word changes', () => {
  test('kanboard --admin admin:admin', async () => {
    const c: Case = {
      id: 'kanboard',
      flags: ['--app-token', kbToken, '--admin', 'admin:admin'],
      // A fresh install's admin is admin/admin.
      serve: () => ['--app-token', kbToken],
      secrets: [kbToken],
      wrapped: [base64FromUtf8('admin:admin'), base64FromUtf8(`jsonrpc:${kbToken}`)] };
    const { run, reports } = await checkServed(c);
    expect(run.code, run.stdout.slice(-2000) + run.stderr).toBe(0);
    const texts = outputs(run, reports, c.id);
    expectNoSecret(texts, c);
    expect(run.stdout.match(/too short or too common/g)).toEqual(['too short or too common']);
    expect(run.stdout).toMatch(/^accord: the secret of --admin is too short or too common to redact in free text/m);
    const json = readFileSync(join(reports, 'kanboard', 'results.json'), 'utf8');
    const words = ['app-admin', 'is_admin', '\\"username\\":\\"admin\\"', 'Basic <--admin>', 'Basic <--app-token>'];
    for (const word of words) expect(json).toContain(word);
    expect(json).not.toContain('\\"password\\":\\"admin\\"');
  });

  test('nymea --admin admin:Password1', async () => {
    const c: Case = { id: 'nymea', flags: ['--admin', 'admin:Password1'], secrets: [], wrapped: [btoa('admin:Password1')] };
    const { run, reports } = await checkServed(c, ['--only', 'shapes,lifecycle,envelope']);
    expect(run.code, run.stdout.slice(-2000) + run.stderr).toBe(0);
    expectNoSecret(outputs(run, reports, c.id), c);
    const json = readFileSync(join(reports, 'nymea', 'results.json'), 'utf8');
    // It only ever travels where a password goes (ChangePassword back to it, the login): gone from all of them.
    expect(json).toContain('\\"newPassword\\":\\"<--admin>\\"');
    expect(json).not.toContain('Password1');
    expect(run.stdout).toMatch(/^accord: the secret of --admin is too short or too common/m);
  });
});

describe('the other writers: --dry-run, clean and errors', () => {
  const c = STRONG[0]!;
  test('accord check --dry-run, accord clean, and a refused pre-flight show no secret', async () => {
    const server = await serve([c.id, ...(c.serve?.() ?? c.flags)]);
    try {
      const dry = await runCli(['check', c.id, '--url', server.url, ...c.flags, '--dry-run', '--only', 'lifecycle']);
      expect(dry.code, dry.stderr).toBe(0);
      const clean = await runCli(['clean', c.id, '--url', server.url, ...c.flags, '--dry-run']);
      expect(clean.code, clean.stderr).toBe(0);
      // A wrong password for the admin: pre-flight stops with one line, which must not carry the secret either.
      const wrongAdmin = `admin:${odd('Zq7Vx-wrong-Pw')}`;
      const wrong = await runCli(['check', c.id, '--url', server.url, '--app-token', kbToken, '--admin', wrongAdmin, '--reports', tempReports()]);
      expect(wrong.code).toBe(2);
      const texts = [dry, clean, wrong].flatMap((r, i) => [{ name: `run ${i} stdout`, text: r.stdout }, { name: `run ${i} stderr`, text: r.stderr }]);
      expectNoSecret(texts, {
        secrets: [...c.secrets, odd('Zq7Vx-wrong-Pw')],
        wrapped: [...c.wrapped, base64FromUtf8(`admin:${odd('Zq7Vx-wrong-Pw')}`)],
      });
    } finally {
      await server.stop();
    }
  });
});

describe('embedded mocks', () => {
  test('a secret the user gives a mock is redacted; a mock with nothing given keeps its own credentials', async () => {
    const reports = tempReports();
    const file = join(reports, 'accord.config.json');
    const token = odd('Zq7Vx-config-mock-Tok');
    writeFileSync(file, JSON.stringify({
      reports,
      targets: [
        { name: 'given-mock', protocol: 'kanboard', mock: true, appToken: token },
        { name: 'plain-mock', protocol: 'kanboard', mock: true },
      ],
    }));
    const run = await runCli(['check', '--config', file, '--only', 'envelope,lifecycle']);
    expect(run.code, run.stdout.slice(-2000) + run.stderr).toBe(0);
    expectNoSecret(outputs(run, reports, 'given-mock'), { secrets: [token], wrapped: [base64FromUtf8(`jsonrpc:${token}`)] });
    const given = readFileSync(join(reports, 'given-mock', 'results.json'), 'utf8');
    expect(given).toContain('authorization: Basic <--app-token>');
    // The mock's own credentials are printed by `accord serve` anyway: its reproduction lines paste as they are.
    const plain = readFileSync(join(reports, 'plain-mock', 'results.json'), 'utf8');
    expect(plain).toMatch(/authorization: Basic [A-Za-z0-9+/=]{8,}/);
    expect(plain).not.toContain('<redacted>');
  });
});
