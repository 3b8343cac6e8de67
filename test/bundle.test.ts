import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const BUNDLE = fileURLToPath(new URL('../dist/bundle/', import.meta.url));

/** vitest is the project's own test runner, a devDependency: the installed command must never load it. */
test('nothing the accord command loads imports vitest', () => {
  const files = readdirSync(BUNDLE, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
  expect(files.length).toBeGreaterThan(1);
  const importing = files.filter((f) =>
    /(from\s*|import\s*\(\s*|require\s*\(\s*)["']vitest/.test(readFileSync(join(BUNDLE, f), 'utf8')),
  );
  expect(importing).toEqual([]);
});
