import { defineConfig } from 'rolldown';

/**
 * The `accord` command as one bundle (dist/bundle/accord.js, a chunk per command): loading ~700 small
 * modules cost `accord serve` most of its start-up time. Built from tsc's output. Packages that run code
 * of their own in other processes or files (vitest and its workers), native add-ons (ws), and the ones only
 * some commands need stay outside; TypeBox and commander, which every command loads, come inside.
 */
const inside = new Set(['typebox', 'commander']);

export default defineConfig({
  input: { accord: 'dist/src/cli.js' },
  platform: 'node',
  external: (id) => id.startsWith('node:') || (!id.startsWith('.') && !id.startsWith('/') && !inside.has(id.split('/')[0])),
  output: { dir: 'dist/bundle', cleanDir: true, format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
});
