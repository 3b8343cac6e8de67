import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { rolldown } from 'rolldown';
import { describe, expect, test } from 'vitest';

/**
 * The folder rules of issue 15 §3: a protocol declares its codec and never opens a socket, src/client owns
 * every transport and never reads the protocol registry, and each protocol's index loads in a browser.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const PROTOCOLS = path.join(ROOT, 'src/protocols');
const CLIENT = path.join(ROOT, 'src/client');

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourcesUnder(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Relative imports of a file (static, `export … from`, dynamic), resolved to absolute paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => path.resolve(path.dirname(file), s));
}

const inside = (file: string, dir: string) => file === dir || file.startsWith(`${dir}${path.sep}`);

function crossings(from: string, to: string): string[] {
  return sourcesUnder(from).flatMap((file) =>
    importsOf(file)
      .filter((target) => inside(target, to))
      .map((target) => `${path.relative(ROOT, file)} imports ${path.relative(ROOT, target)}`),
  );
}

describe('folder layering', () => {
  test('the import scan sees a relative import', () => {
    // The scan itself must be able to fail: a file known to import src/spec is seen doing so.
    const seen = importsOf(path.join(CLIENT, 'connect.ts'));
    expect(seen.some((t) => inside(t, path.join(ROOT, 'src/spec')))).toBe(true);
  });

  test('no import from src/protocols into src/client', () => {
    expect(crossings(PROTOCOLS, CLIENT)).toEqual([]);
  });

  test('no import from src/client into src/protocols', () => {
    expect(crossings(CLIENT, PROTOCOLS)).toEqual([]);
  });
});

const NODE_ONLY = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const protocolIds = readdirSync(PROTOCOLS).filter((name) => statSync(path.join(PROTOCOLS, name)).isDirectory());

describe('each protocol loads in a browser', () => {
  test('there are protocols to bundle', () => {
    expect(protocolIds.length).toBeGreaterThanOrEqual(5);
  });

  test.each(protocolIds)(
    'src/protocols/%s/index.ts bundles for the browser without node: or src/client',
    async (id) => {
      const nodeImports: string[] = [];
      const bundle = await rolldown({
        input: path.join(PROTOCOLS, id, 'index.ts'),
        platform: 'browser',
        logLevel: 'silent',
        // Sources import `./x.js` for `./x.ts`, as tsc wants.
        resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
        plugins: [
          {
            name: 'refuse-node',
            resolveId(source, importer) {
              if (!NODE_ONLY.has(source) && !source.startsWith('node:')) return null;
              nodeImports.push(`${path.relative(ROOT, importer ?? '?')} imports ${source}`);
              return { id: source, external: true };
            },
          },
        ],
      });
      try {
        const { output } = await bundle.generate({ format: 'esm' });
        const modules = output.flatMap((chunk) => ('moduleIds' in chunk ? chunk.moduleIds : []));
        expect(modules.some((m) => m.endsWith(path.join('src/protocols', id, 'index.ts')))).toBe(true);
        expect(nodeImports).toEqual([]);
        expect(modules.filter((m) => inside(m, CLIENT)).map((m) => path.relative(ROOT, m))).toEqual([]);
      } finally {
        await bundle.close();
      }
    },
    60_000,
  );
});
