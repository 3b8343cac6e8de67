import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { launchChromium } from './support/browser.js';
import { CHECK_KINDS, verdictOf } from '../src/spec/check.js';
import { readResults, runCli, tempReports } from './support/cli.js';

/**
 * The HTML report in a real headless Chromium: the matrix renders, a failing cell opens its checks with
 * the request, the response, the expectation and the reference, and the filters work. The screenshot
 * stays in reports/report-page.png.
 */
test('report.html shows the matrix and the details of a failing cell', async () => {
  const reports = tempReports();
  // The kinds the page needs: rights (the fault's failing cells, 403 answers) and params (cells of passed and skipped).
  const run = await runCli([
    'check',
    'kanboard',
    '--fault',
    'no-project-role-check',
    '--only',
    'rights,params',
    '--reports',
    reports,
    '--quiet',
  ]);
  expect(run.code).toBe(1);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    await page.goto(pathToFileURL(join(reports, 'kanboard', 'report.html')).href);
    const rows = page.locator('table.matrix tbody tr');
    expect(await rows.count()).toBeGreaterThan(30);
    // The verdict, as summary.md says it; columns in the console's order.
    expect(await page.locator('.verdict').innerText()).toBe('✗ does not conform at level must');
    const results = readResults(reports, 'kanboard');
    expect(await page.locator('.meta').first().innerText()).toContain(
      'reference/kanboard.md (docs.kanboard.org/v1/api/)',
    );
    const kinds = CHECK_KINDS.filter((k) => results.records.some((r) => r.kind === k));
    expect(await page.locator('table.matrix thead th').allInnerTexts()).toEqual(['method', ...kinds]);
    // Skipped checks are counted apart from those that ran: "✓ 2· 3".
    const mixed = results.methods
      .flatMap((m) => kinds.map((k) => results.records.filter((r) => r.method === m && r.kind === k)))
      .find(
        (list) =>
          list.some((r) => r.skipped !== undefined) &&
          list.some((r) => r.skipped === undefined && verdictOf(r, 'must') === 'passed'),
      );
    expect(mixed, 'a cell with passed and skipped checks').toBeDefined();
    const ran = mixed!.filter((r) => r.skipped === undefined).length;
    const cell = page.locator(`td.cell[data-m="${mixed![0]!.method}"][data-k="${mixed![0]!.kind}"]`);
    expect((await cell.innerText()).replace(/\s+/g, ' ')).toMatch(
      new RegExp(`^[✓✗~!] (\\d+/)?${ran} ?· ${mixed!.length - ran}$`),
    );
    const failing = page.locator('td.cell.failed');
    expect(await failing.count()).toBeGreaterThan(0);
    await failing.first().click();
    const details = page.locator('#details');
    await expect.poll(() => details.locator('.check').count()).toBeGreaterThan(0);
    const text = await details.innerText();
    expect(text).toMatch(/kanboard\.md §4 \(github\.com\/kanboard\/kanboard\/blob\/main\/app\/Api\/Authorization\//);
    expect(await details.locator('a[href^="https://github.com/kanboard/kanboard/"]').count()).toBeGreaterThan(0);
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
