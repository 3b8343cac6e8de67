import { defineConfig } from 'rolldown';

/**
 * The `accord` command as one bundle (dist/bundle/accord.js, a chunk per command): loading ~700 small
 * modules cost `accord serve` most of its start-up time. Built from tsc's output. Packages stay outside
 * (native add-ons such as ws, the ones only some commands need), but TypeBox and commander, which every
 * command loads, come inside. Nothing the CLI reaches imports vitest: it is the project's test runner only.
 */
const inside = new Set(['typebox', 'commander']);

export default defineConfig({
  input: { accord: 'dist/src/cli.js' },
  platform: 'node',
  external: (id) =>
    id.startsWith('node:') || (!id.startsWith('.') && !id.startsWith('/') && !inside.has(id.split('/')[0])),
  output: {
    dir: 'dist/bundle',
    cleanDir: true,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  },
});
