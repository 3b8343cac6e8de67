// Builds the dashboard with the installed vite (no network): the page bundle, plus msw's worker script
// copied from the installed msw package (what `npx msw init` would write).
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
export const OUT = join(here, 'dist');

export async function buildDashboard() {
  await build({
    root: here,
    logLevel: 'warn',
    // An app gets accord/msw from the installed package; this repository builds it from the source.
    resolve: { alias: { 'accord/msw': join(here, '..', '..', 'mock', 'msw.ts') } },
    build: { outDir: OUT, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
  });
  const require = createRequire(import.meta.url);
  const worker = join(dirname(require.resolve('msw/package.json')), 'lib', 'mockServiceWorker.js');
  mkdirSync(OUT, { recursive: true });
  copyFileSync(worker, join(OUT, 'mockServiceWorker.js'));
  return OUT;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildDashboard();
  console.log(`built ${out}`);
}
