import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { chromiumLaunchOptions } from './support/browser.js';

/**
 * The example user-admin dashboard (examples/octoprint-dashboard) in real headless Chromium (the one
 * `npm ci` brings, see support/browser.ts): two OctoPrint mock instances behind msw's service worker,
 * side by side. It creates a user on one, toggles a group, checks the other is untouched, and keeps a
 * screenshot.
 */
const EXAMPLE = fileURLToPath(new URL('../examples/octoprint-dashboard/', import.meta.url));
const SCREENSHOT = fileURLToPath(new URL('../reports/octoprint-dashboard.png', import.meta.url));

let server: http.Server;
let context: BrowserContext;
let profile: string;
let base: string;

beforeAll(async () => {
  const built = spawnSync(process.execPath, [join(EXAMPLE, 'build.mjs')], { encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
  const { serveDashboard } = (await import(join(EXAMPLE, 'serve.mjs'))) as {
    serveDashboard(root: string, port?: number): Promise<http.Server>;
  };
  server = await serveDashboard(join(EXAMPLE, 'dist'));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  profile = mkdtempSync(join(tmpdir(), 'accord-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    ...(await chromiumLaunchOptions()),
    viewport: { width: 1200, height: 640 },
  });
});

afterAll(async () => {
  await context?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('the dashboard lists, creates and toggles users on two independent mock instances', async () => {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });

  for (const p of ['a', 'b']) {
    await expect.poll(() => page.locator(`[data-testid="user-${p}-admin"]`).count()).toBe(1);
    expect(await page.textContent(`[data-testid="user-${p}-admin"]`)).toContain('admins');
    expect(await page.textContent(`[data-testid="user-${p}-operator"]`)).toContain('users');
  }

  await page.fill('[data-testid="name-a"]', 'jane');
  await page.fill('[data-testid="password-a"]', 'secret');
  await page.click('[data-testid="create-a"] button');
  const janeGroups = page.locator('[data-testid="user-a-jane"] .groups');
  await janeGroups.waitFor();
  expect(await janeGroups.textContent()).toBe('users');

  await page.click('[data-testid="toggle-a-jane"]');
  await expect.poll(() => janeGroups.textContent()).toBe('users, admins');
  expect(await page.textContent('[data-testid="user-a-jane"]')).toContain('Remove from admins');
  expect(await page.textContent('[data-testid="status-a"]')).toContain('jane: groups users, admins');
  expect(await page.locator('[data-testid="user-b-jane"]').count()).toBe(0);

  mkdirSync(fileURLToPath(new URL('../reports/', import.meta.url)), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  expect(errors).toEqual([]);
});
