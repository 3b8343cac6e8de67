import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { runCli, tempReports } from '../support/cli.js';
import { serve } from '../support/serve.js';

const POPULATED = fileURLToPath(new URL('../../fixtures/kanboard/populated.json', import.meta.url));
const TOKEN = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';

function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

test('accord check runs every target of accord.config.json, with secrets from the environment and never in the output', async () => {
  const server = await serve(['kanboard', '--seed', POPULATED]);
  try {
    const reports = tempReports();
    const file = join(reports, 'accord.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        level: 'quirk',
        reports,
        targets: [
          {
            name: 'staging',
            protocol: 'kanboard',
            url: server.url,
            appToken: '${KB_TOKEN}',
            admin: 'admin:${KB_ADMIN_PASSWORD}',
          },
          { name: 'local-mock', protocol: 'kanboard', mock: true },
        ],
      }),
    );
    const run = await runCli(['check', '--config', file, '--only', 'rights,envelope'], {
      env: { KB_TOKEN: TOKEN, KB_ADMIN_PASSWORD: 'admin-secret' },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/2 targets from/);
    const text = allText(join(reports, 'staging'));
    expect(text.includes('<--app-token>')).toBe(true);
    for (const secret of [TOKEN, 'admin-secret', btoa('admin:admin-secret'), btoa(`jsonrpc:${TOKEN}`)]) {
      expect(run.stdout.includes(secret), `stdout shows ${secret}`).toBe(false);
      expect(text.includes(secret), `the reports show ${secret}`).toBe(false);
    }
    expect(
      JSON.parse(readFileSync(join(reports, 'local-mock', 'results.json'), 'utf8')).records.length,
    ).toBeGreaterThan(100);

    const missing = await runCli(['check', '--config', file], { env: { KB_TOKEN: '', KB_ADMIN_PASSWORD: '' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toMatch(
      /target staging: appToken needs the environment variable KB_TOKEN, which is not set$/,
    );
  } finally {
    await server.stop();
  }
});
