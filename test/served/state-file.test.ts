import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { MOCK_PROTOCOLS } from '../../mock/dialects/index.js';
import { runCli } from '../support/cli.js';
import { serve } from '../support/serve.js';
import { makeAChange } from './support.js';

/** --state FILE keeps the state across restarts; GET /__accord/state fed back as --seed makes the same state. */
const folder = () => mkdtempSync(join(tmpdir(), 'accord-state-'));
const given = async (control: string) =>
  (await (await fetch(`${control}/__accord/given`)).json()) as Record<string, unknown>;

test.each(MOCK_PROTOCOLS)(
  '%s: --state keeps a change across a restart, with the same credentials',
  async (protocol) => {
    const file = join(folder(), 'state.json');
    const first = await serve([protocol, '--state', file]);
    const credentials = await given(first.control);
    await makeAChange(protocol, first.url, credentials);
    const changed = await first.state();
    await first.stop();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(changed);
    const second = await serve([protocol, '--state', file]);
    try {
      expect(second.output).toContain(`state file    ${file} (read`);
      expect(await second.state()).toEqual(changed);
      // The keys and tokens an app was configured with still work (Kanboard's admin password is kept as its hash).
      const again = await given(second.control);
      for (const [key, value] of Object.entries(again)) if (key !== 'admin') expect(value).toEqual(credentials[key]);
    } finally {
      await second.stop();
    }
  },
);

test('kanboard: GET /__accord/state as --seed keeps the admin login working', async () => {
  const file = join(folder(), 'saved.json');
  const first = await serve(['kanboard']);
  writeFileSync(file, JSON.stringify(await first.state()));
  await first.stop();
  const second = await serve(['kanboard', '--seed', file]);
  try {
    expect(second.output).not.toMatch(/\$2y\$/);
    expect(second.output).toContain('admin user    admin / its password as saved');
    const reply = await fetch(`${second.url}/jsonrpc.php`, {
      method: 'POST',
      headers: { authorization: `Basic ${btoa('admin:admin')}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getMe' }),
    });
    expect(((await reply.json()) as { result: { username: string } }).result.username).toBe('admin');
  } finally {
    await second.stop();
  }
});

test.each([
  [
    'kanboard',
    { users: [{ username: 'a', password: 12 }] },
    'the kanboard seed is not valid: users[0].password: expected a string or null, got the number 12',
  ],
  ['kanboard', { user: [] }, 'the kanboard seed is not valid: user: not a field of this seed'],
  ['octoprint', { users: [{ name: 'x' }] }, 'the octoprint seed is not valid: users[0].password: missing (required)'],
  [
    'rhodecode',
    { users: [{ username: 3 }] },
    'the rhodecode seed is not valid: users[0].username: expected a string, got the number 3',
  ],
  [
    'nymea',
    { users: [{ username: 'x', password: 'y', scopes: 'admin' }] },
    'the nymea seed is not valid: users[0].scopes: expected an array of strings, got the string "admin"',
  ],
])('%s: a seed that is not valid is refused in one line', async (protocol, seed, message) => {
  const file = join(folder(), 'seed.json');
  writeFileSync(file, JSON.stringify(seed));
  const run = await runCli(['serve', protocol, '--seed', file]);
  expect(run.code).toBe(2);
  expect(run.stderr).toBe(`accord: ${message}\n`);
});
