import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

/**
 * The layout of issue 15 §4: the same files in every protocol folder and the same layout in every dialect,
 * so that one protocol's part is found where another's is. src/protocols/DESIGN.md and mock/DESIGN.md say
 * what each file holds.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const PROTOCOLS = path.join(ROOT, 'src/protocols');
const DIALECTS = path.join(ROOT, 'mock/dialects');

/** What every src/protocols/<id>/ has; `x/` is a folder, `x/index.ts` what it exports. */
const PROTOCOL_LAYOUT = [
  'index.ts',
  'access.ts',
  'binding.ts',
  'credentials.ts',
  'define.ts',
  'envelope.ts',
  'export-facts.ts',
  'identities.ts',
  'methods/index.ts',
  'params-policy.ts',
  'preflight.ts',
  'records.ts',
  'scenarios/index.ts',
  'sources.ts',
  'variants.ts',
  'world.ts',
] as const;
/** The other form of a folder in the layout: methods and scenarios are folders everywhere. */
const PROTOCOL_NOT = ['methods.ts', 'scenarios.ts'] as const;

/** What every mock/dialects/<id>/ has; its handlers are in handlers/, the one folder a dialect has. */
const DIALECT_LAYOUT = ['index.ts', 'state.ts', 'seed-schema.ts', 'handlers/'] as const;

const foldersIn = (dir: string) => readdirSync(dir).filter((name) => statSync(path.join(dir, name)).isDirectory());
const isFile = (file: string) => statSync(file, { throwIfNoEntry: false })?.isFile() === true;

/** What `dir` lacks of `layout`, and what it has that the layout forbids, each in words naming the path. */
function layoutProblems(
  dir: string,
  layout: readonly string[],
  forbidden: readonly string[] = [],
  onlyFolders?: readonly string[],
): string[] {
  const where = dir.startsWith(`${ROOT}${path.sep}`) ? path.relative(ROOT, dir) : dir;
  const problems: string[] = [];
  for (const entry of layout) {
    if (entry.endsWith('/')) {
      const folder = path.join(dir, entry);
      const isFolder = statSync(folder, { throwIfNoEntry: false })?.isDirectory() === true;
      const sources = isFolder ? readdirSync(folder).filter((n) => n.endsWith('.ts')) : [];
      if (sources.length === 0) problems.push(`${where}: missing ${entry} (a folder with at least one .ts file)`);
    } else if (!isFile(path.join(dir, entry))) {
      problems.push(`${where}: missing ${entry}`);
    }
  }
  for (const entry of forbidden) {
    if (isFile(path.join(dir, entry))) problems.push(`${where}: has ${entry} (the layout has a folder for it)`);
  }
  if (onlyFolders) {
    for (const folder of foldersIn(dir)) {
      if (onlyFolders.includes(`${folder}/`)) continue;
      problems.push(`${where}: has the folder ${folder}/ (a dialect's only folder is handlers/)`);
    }
  }
  return problems;
}

const protocolIds = foldersIn(PROTOCOLS);
const dialectIds = foldersIn(DIALECTS);

describe('folder layout', () => {
  test('the layout check names what a folder lacks and what it has instead', () => {
    // The check itself must be able to fail: a folder with only methods.ts and a procedures/ folder.
    const dir = mkdtempSync(path.join(tmpdir(), 'accord-layout-'));
    try {
      writeFileSync(path.join(dir, 'index.ts'), '');
      writeFileSync(path.join(dir, 'methods.ts'), '');
      mkdirSync(path.join(dir, 'procedures'));
      writeFileSync(path.join(dir, 'procedures', 'users.ts'), '');
      const protocol = layoutProblems(dir, PROTOCOL_LAYOUT, PROTOCOL_NOT);
      expect(protocol).toContain(`${dir}: missing methods/index.ts`);
      expect(protocol).toContain(`${dir}: missing binding.ts`);
      expect(protocol).toContain(`${dir}: has methods.ts (the layout has a folder for it)`);
      expect(protocol).not.toContain(`${dir}: missing index.ts`);
      const dialect = layoutProblems(dir, DIALECT_LAYOUT, [], ['handlers/']);
      expect(dialect).toContain(`${dir}: missing handlers/ (a folder with at least one .ts file)`);
      expect(dialect).toContain(`${dir}: has the folder procedures/ (a dialect's only folder is handlers/)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('there are protocols and dialects to check', () => {
    expect(protocolIds.length).toBeGreaterThanOrEqual(5);
    expect(dialectIds.length).toBeGreaterThanOrEqual(5);
  });

  test.each(protocolIds)('src/protocols/%s has every file of a protocol folder', (id) => {
    expect(layoutProblems(path.join(PROTOCOLS, id), PROTOCOL_LAYOUT, PROTOCOL_NOT)).toEqual([]);
  });

  test.each(dialectIds)('mock/dialects/%s has the files and the one folder of a dialect', (id) => {
    expect(layoutProblems(path.join(DIALECTS, id), DIALECT_LAYOUT, [], ['handlers/'])).toEqual([]);
  });
});
