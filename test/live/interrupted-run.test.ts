import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { CLI, tempReports } from '../support/cli.js';
import { serve } from '../support/serve.js';

const POPULATED = fileURLToPath(new URL('../../fixtures/kanboard/populated.json', import.meta.url));
const TOKEN = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';

/** Ctrl-C in the middle of a live run: the run stops, removes what it created, and reports no verdict. */
test('a live run interrupted halfway leaves the server as it was', async () => {
  const server = await serve(['kanboard', '--seed', POPULATED]);
  try {
    const before = await server.state();
    const child = spawn(process.execPath, [CLI, 'check', 'kanboard', '--url', server.url, '--app-token', TOKEN, '--admin', 'admin:admin-secret', '--reports', tempReports()], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        // Halfway: once a couple of hundred checks are done, with objects of the run on the server.
        if (/… 200 checks done/.test(output)) resolve();
      });
    });
    const during = (await server.state()) as { users: unknown[] };
    expect(during.users.length).toBeGreaterThan((before as { users: unknown[] }).users.length);
    child.kill('SIGINT');
    expect(await exited).toBe(2);
    expect(output).toMatch(/interrupted: stopping the checks and removing what this run created/);
    expect(output).toMatch(/no conformance verdict/);
    expect(await server.state()).toEqual(before);
  } finally {
    await server.stop();
  }
});
