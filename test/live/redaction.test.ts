import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { serveFlagsFor } from '../../src/commands/given.js';
import { base64FromUtf8 } from '../../src/wire/text.js';
import { runCli, tempReports, type CliRun } from '../support/cli.js';
import { expectNoSecret, kbToken, odd, outputs, strongCase, type SecretCase } from '../support/secrets.js';
import { serve } from '../support/serve.js';

/**
 * No secret a user gives appears, in any form, in the output or the reports of a live run; and redaction
 * changes no ordinary word. The full runs with strong secrets (test/support/secrets.ts) are the populated
 * servers' full runs of test/conformance.test.ts; here: weak secrets, the other writers, embedded mocks.
 */
async function checkServed(c: SecretCase, extra: readonly string[] = []): Promise<{ run: CliRun; reports: string }> {
  const server = await serve([c.id, ...serveFlagsFor(c.id, { withSecrets: false }), ...(c.serve ?? c.flags)]);
  try {
    const reports = tempReports();
    const flags = [...serveFlagsFor(c.id, { withSecrets: false }), ...c.flags];
    const run = await runCli([
      'check',
      c.id,
      '--url',
      server.url,
      ...flags,
      '--level',
      'quirk',
      '--reports',
      reports,
      ...extra,
    ]);
    return { run, reports };
  } finally {
    await server.stop();
  }
}

describe('weak secrets (admin:admin) are removed where credentials go, and no ordinary word changes', () => {
  test('kanboard --admin admin:admin', async () => {
    const c: SecretCase = {
      id: 'kanboard',
      flags: ['--app-token', kbToken, '--admin', 'admin:admin'],
      // A fresh install's admin is admin/admin.
      serve: ['--app-token', kbToken],
      secrets: [kbToken],
      wrapped: [base64FromUtf8('admin:admin'), base64FromUtf8(`jsonrpc:${kbToken}`)],
    };
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
    const c: SecretCase = {
      id: 'nymea',
      flags: ['--admin', 'admin:Password1'],
      secrets: [],
      wrapped: [btoa('admin:Password1')],
    };
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
  const c = strongCase('kanboard');
  test('accord check --dry-run, accord clean, and a refused pre-flight show no secret', async () => {
    const server = await serve([c.id, ...(c.serve ?? c.flags)]);
    try {
      const dry = await runCli(['check', c.id, '--url', server.url, ...c.flags, '--dry-run', '--only', 'lifecycle']);
      expect(dry.code, dry.stderr).toBe(0);
      const clean = await runCli(['clean', c.id, '--url', server.url, ...c.flags, '--dry-run']);
      expect(clean.code, clean.stderr).toBe(0);
      // A wrong password for the admin: pre-flight stops with one line, which must not carry the secret either.
      const wrongAdmin = `admin:${odd('Zq7Vx-wrong-Pw')}`;
      const wrong = await runCli([
        'check',
        c.id,
        '--url',
        server.url,
        '--app-token',
        kbToken,
        '--admin',
        wrongAdmin,
        '--reports',
        tempReports(),
      ]);
      expect(wrong.code).toBe(2);
      const texts = [dry, clean, wrong].flatMap((r, i) => [
        { name: `run ${i} stdout`, text: r.stdout },
        { name: `run ${i} stderr`, text: r.stderr },
      ]);
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
    writeFileSync(
      file,
      JSON.stringify({
        reports,
        targets: [
          { name: 'given-mock', protocol: 'kanboard', mock: true, appToken: token },
          { name: 'plain-mock', protocol: 'kanboard', mock: true },
        ],
      }),
    );
    const run = await runCli(['check', '--config', file, '--only', 'envelope,lifecycle']);
    expect(run.code, run.stdout.slice(-2000) + run.stderr).toBe(0);
    expectNoSecret(outputs(run, reports, 'given-mock'), {
      secrets: [token],
      wrapped: [base64FromUtf8(`jsonrpc:${token}`)],
    });
    const given = readFileSync(join(reports, 'given-mock', 'results.json'), 'utf8');
    expect(given).toContain('authorization: Basic <--app-token>');
    // The mock's own credentials are printed by `accord serve` anyway: its reproduction lines paste as they are.
    const plain = readFileSync(join(reports, 'plain-mock', 'results.json'), 'utf8');
    expect(plain).toMatch(/authorization: Basic [A-Za-z0-9+/=]{8,}/);
    expect(plain).not.toContain('<redacted>');
  });
});
