import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { protocols } from '../../src/protocols/index.js';
import { CLI, tempReports } from '../support/cli.js';
import { flagsFor } from '../support/live-flags.js';
import { serveFlagsFor } from '../../src/commands/given.js';
import { serve } from '../support/serve.js';

/**
 * A live run against a mock in another process seeded with users, groups and memberships of its own (and a
 * leftover that merely looks like an earlier run's), interrupted halfway with Ctrl-C, leaves that server's
 * state exactly as it was. A full run does too, and shows no secret: test/conformance.test.ts.
 */
const populated = (id: string) => fileURLToPath(new URL(`../../fixtures/${id}/populated.json`, import.meta.url));
const PROTOCOLS = Object.keys(protocols).filter((id) => existsSync(populated(id)));

describe.each(PROTOCOLS)('a live check of a populated %s server', (id) => {
  test('a run interrupted halfway leaves the server as it was', async () => {
    const server = await serve([id, '--seed', populated(id), ...serveFlagsFor(id, { withSecrets: false })]);
    try {
      const before = await server.state();
      const args = [
        'check',
        id,
        '--url',
        server.url,
        ...(await flagsFor(id, server.control)),
        '--reports',
        tempReports(),
      ];
      const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (d: Buffer) => {
          output += d.toString();
          // Halfway: once a hundred checks are done, with objects of the run on the server.
          if (/… 100 checks done/.test(output)) resolve();
        });
      });
      expect(await server.state()).not.toEqual(before);
      child.kill('SIGINT');
      expect(await exited).toBe(2);
      expect(output).toMatch(/interrupted: stopping the checks and removing what this run created/);
      expect(output).toMatch(/no conformance verdict/);
      expect(await server.state()).toEqual(before);
    } finally {
      await server.stop();
    }
  });
});
