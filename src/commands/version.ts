import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The nearest folder, from this file upwards, that holds all of these entries. This file runs from src/,
 * from dist/src/ and from the bundle (dist/bundle/chunks/): no fixed number of `../` fits all three.
 */
export function folderAbove(...entries: string[]): string | undefined {
  for (let url = new URL('./', import.meta.url); ; url = new URL('../', url)) {
    const dir = fileURLToPath(url);
    if (entries.every((e) => existsSync(`${dir}${e}`))) return dir;
    if (url.pathname === '/') return undefined;
  }
}

/** The package folder: where package.json and fixtures/ are. */
export const PACKAGE_ROOT: string =
  folderAbove('package.json', 'fixtures') ?? fileURLToPath(new URL('../../', import.meta.url));

export const VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

/** The committed fixtures: fixtures/<protocol>/ (seed files and recorded cases). */
export const FIXTURES_ROOT = `${PACKAGE_ROOT}fixtures`;
