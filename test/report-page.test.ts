import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { launchChromium } from './support/browser.js';
import { runCli, tempReports } from './support/cli.js';

/**
 * The HTML report in a real headless Chromium: the matrix renders, a failing cell opens its checks with
 * the request, the response, the expectation and the reference, and the filters work. The screenshot
 * stays in reports/report-page.png.
 */
test('report.html shows the matrix and the details of a failing cell', async () => {
  const reports = tempReports();
  const run = await runCli(['check', 'kanboard', '--fault', 'no-project-role-check', '--reports', reports, '--quiet']);
  expect(run.code).toBe(1);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    await page.goto(pathToFileURL(join(reports, 'kanboard', 'report.html')).href);
    const rows = page.locator('table.matrix tbody tr');
    expect(await rows.count()).toBeGreaterThan(30);
    const failing = page.locator('td.cell.failed');
    expect(await failing.count()).toBeGreaterThan(0);
    await failing.first().click();
    const details = page.locator('#details');
    await expect.poll(() => details.locator('.check').count()).toBeGreaterThan(0);
    const text = await details.innerText();
    expect(text).toMatch(/kanboard\.md §4/);
    expect(text).toMatch(/HTTP status 403/);
    expect(text).toMatch(/sent/);
    expect(text).toMatch(/received/);
    await page.locator('#failuresOnly').check();
    expect(await rows.count()).toBeLessThan(10);
    mkdirSync('reports', { recursive: true });
    await page.screenshot({ path: 'reports/report-page.png', fullPage: false });
  } finally {
    await browser.close();
  }
});
