import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { serve } from '../support/serve.js';

/**
 * A page on another origin (another port) calling the OctoPrint mock with its API key, in Chromium: blocked
 * by CORS as by a real OctoPrint with api.allowCrossOrigin off, answered with `accord serve --cors`.
 */
async function pageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test.each([
  { flags: [] as string[], outcome: 'blocked' },
  { flags: ['--cors'], outcome: 'admin,operator' },
])('octoprint $flags: a page on another origin is $outcome', async ({ flags, outcome }) => {
  const served = await serve(['octoprint', ...flags, '--quiet']);
  const app = await pageServer();
  const browser = await launchChromium();
  try {
    const key = ((await (await fetch(`${served.control}/__accord/given`)).json()) as { adminKey: string }).adminKey;
    const page = await browser.newPage();
    await page.goto(app.url);
    const result = await page.evaluate(
      async ({ url, key }) => {
        try {
          const response = await fetch(`${url}/api/access/users`, { headers: { 'X-Api-Key': key } });
          const body = (await response.json()) as { users: { name: string }[] };
          return body.users
            .map((u) => u.name)
            .sort()
            .join(',');
        } catch {
          return 'blocked';
        }
      },
      { url: served.url, key },
    );
    expect(result).toBe(outcome);
  } finally {
    await browser.close();
    await app.close();
    await served.stop();
  }
});
