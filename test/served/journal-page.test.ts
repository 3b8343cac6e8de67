import { expect, test } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { serve } from '../support/serve.js';
import { makeAChange } from './support.js';

/**
 * The page at /__accord/ of `accord serve`, in a real headless Chromium: it shows the state and a request
 * made a moment before, with its diagnostics beside it, for an HTTP protocol and for nymea (whose control
 * endpoint serves the page for its TCP and WebSocket messages).
 */
test.each([
  { protocol: 'kanboard', call: /createUser/, table: 'users' },
  { protocol: 'nymea', call: /JSONRPC\.CreateUser/, table: 'users' },
])('$protocol: the page shows the state and a request made a moment before', async ({ protocol, call, table }) => {
  const served = await serve([protocol]);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${served.control}/__accord/`);
    await expect.poll(() => page.locator('#updated').innerText()).not.toBe('never');
    const given = (await (await fetch(`${served.control}/__accord/given`)).json()) as Record<string, unknown>;
    await makeAChange(protocol, served.url, given);
    const row = page.locator('#journal tbody tr', { hasText: call });
    await expect.poll(() => row.count(), { timeout: 5000 }).toBeGreaterThan(0);
    expect(await row.first().innerText()).toMatch(/success|200/);
    await expect.poll(() => page.locator('#state').innerText()).toContain('jane');
    expect(await page.locator('#state h3', { hasText: table }).count()).toBeGreaterThan(0);
  } finally {
    await browser.close();
    await served.stop();
  }
});

test('a request that breaks the spec shows its diagnostic beside it, and the terminal has its line', async () => {
  const served = await serve(['octoprint']);
  const browser = await launchChromium();
  try {
    const given = (await (await fetch(`${served.control}/__accord/given`)).json()) as Record<string, unknown>;
    await fetch(`${served.url}/api/access/users/operator`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-api-key': String(given['adminKey']) },
      body: JSON.stringify({ groups: null }),
    });
    const page = await browser.newPage();
    await page.goto(`${served.control}/__accord/`);
    const row = page.locator('#journal tbody tr', { hasText: '/api/access/users/operator' });
    await expect.poll(() => row.count(), { timeout: 5000 }).toBe(1);
    expect(await row.locator('.diagnostics').innerText()).toMatch(/groups: expected an array of strings, got null/);
    // The terminal: one line for the request (method, path, identity, status, ms), its diagnostic under it.
    expect(served.output).toMatch(
      /\d\d:\d\d:\d\d PUT \/api\/access\/users\/operator  API key of admin  500  \d+ ms\n {4}diagnostic: groups: expected/,
    );
  } finally {
    await browser.close();
    await served.stop();
  }
});
