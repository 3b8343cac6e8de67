import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDocument } from '../../src/commands/export.js';
import type { ExportFormat } from '../../src/export/index.js';
import type { Level } from '../../src/spec/levels.js';

export const NODE_MODULES = join(import.meta.dirname, '..', '..', 'node_modules');

/** A folder of its own for a test file's documents and generated files. */
export function scratchDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `accord-export-${name}-`));
}

/** Build a protocol's document as `accord export --format` does, and write it to the folder. */
export async function writtenDocument(dir: string, protocol: string, format: ExportFormat, level: Level) {
  const document = await buildDocument(protocol, format, level);
  const file = join(dir, `${protocol}.${level}.${format}.json`);
  writeFileSync(file, JSON.stringify(document, null, 2));
  return { document, file };
}

/** A port free on 127.0.0.1 now, for a tool that takes its port on the command line. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
