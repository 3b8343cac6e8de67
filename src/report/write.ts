import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { TargetResults } from './results.js';

export const REPORT_FILES = ['junit.xml', 'results.json', 'report.html', 'summary.md'] as const;

/** Write a target's four reports into `<dir>/<target>/`; returns the folder. */
export function writeReports(dir: string, results: TargetResults): string {
  const folder = join(dir, results.target.replace(/[^A-Za-z0-9._-]/g, '_'));
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'junit.xml'), renderJunit(results));
  writeFileSync(join(folder, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
  writeFileSync(join(folder, 'report.html'), renderHtml([results]));
  writeFileSync(join(folder, 'summary.md'), renderMarkdown(results));
  return folder;
}
