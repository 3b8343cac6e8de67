import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { protocols } from '../../src/protocols/index.js';
import { CLI, readResults, runCli, tempReports } from '../support/cli.js';
import { flagsFor } from '../support/live-flags.js';
import { serveFlagsFor } from '../../src/commands/given.js';
import { expectNoSecret, outputs, strongCase } from '../support/secrets.js';
import { serve } from '../support/serve.js';

/**
 * Live runs against a mock in another process seeded with users, groups and memberships of its own (and a
 * leftover that merely looks like an earlier run's): a full run, and a run interrupted halfway with
 * Ctrl-C, each leave that server's state exactly as it was. The full run is given strong secrets
 * (test/support/secrets.ts), none of which may appear in its output or reports.
 */
const populated = (id: string) => fileURLToPath(new URL(`../../fixtures/${id}/populated.json`, import.meta.url));
const PROTOCOLS = Object.keys(protocols).filter((id) => existsSync(populated(id)));

describe.each(PROTOCOLS)('a live check of a populated %s server', (id) => {
  // With strong secrets (odd characters in every one): the same full run shows none of them anywhere.
  test('a full run with strong secrets changes and removes nothing it did not create, and shows no secret', async () => {
    const secrets = strongCase(id);
    const server = await serve([
      id,
      '--seed',
      populated(id),
      ...serveFlagsFor(id, { withSecrets: false }),
      ...(secrets.serve ?? secrets.flags),
    ]);
    try {
      const before = await server.state();
      const reports = tempReports();
      const flags = [...serveFlagsFor(id, { withSecrets: false }), ...secrets.flags];
      const run = await runCli(['check', id, '--url', server.url, ...flags, '--level', 'quirk', '--reports', reports]);
      expect(run.code, run.stdout.slice(-3000) + run.stderr).toBe(0);
      const results = readResults(reports, id);
      expect(results.mock).toBe(false);
      expect(results.records.filter((r) => r.skipped === undefined).length).toBeGreaterThan(50);
      expect(await server.state()).toEqual(before);
      expectNoSecret(outputs(run, reports, id), secrets);
      expect(run.stdout).not.toMatch(/too short or too common/);
    } finally {
      await server.stop();
    }
  });

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
