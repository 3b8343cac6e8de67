import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package folder: where package.json, fixtures/ and suites live (found from this file, in src/ or dist/). */
export const PACKAGE_ROOT: string = (() => {
  for (const up of ['../../', '../../../']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(`${dir}package.json`) && existsSync(`${dir}fixtures`)) return dir;
  }
  return fileURLToPath(new URL('../../', import.meta.url));
})();

export const VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

/** The committed fixtures: fixtures/<protocol>/ (seed files and recorded cases). */
export const FIXTURES_ROOT = `${PACKAGE_ROOT}fixtures`;
