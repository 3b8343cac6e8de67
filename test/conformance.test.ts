import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { serveFlagsFor } from '../src/commands/given.js';
import { protocols } from '../src/protocols/index.js';
import { REPORT_FILES } from '../src/report/write.js';
import { verdictOf } from '../src/spec/check.js';
import { kindsOf } from '../src/spec/protocol.js';
import { readResults, runCli, tempReports } from './support/cli.js';
import { expectNoSecret, outputs, strongCase } from './support/secrets.js';
import { serve } from './support/serve.js';

/**
 * One full run per protocol and endpoint (nymea: TCP, then WebSocket), at the quirk level, shows
 * three things at once:
 * - the mock passes every check, covering every method and kind: the mock is the reference's real server,
 *   and a check it failed would be a check a real server fails;
 * - a live run changes and removes nothing it did not create: the mock (`accord serve`, another process) is
 *   seeded with users, groups and memberships of its own, and a leftover that merely looks like an earlier
 *   run's; its state afterwards is exactly what it was;
 * - no secret shows: the credentials are strong ones (odd characters in every one, test/support/secrets.ts),
 *   none of which may appear in the output or the reports, in any encoding.
 * A live run against a served mock runs the same checks as `accord check <id>` against its embedded mock
 * (the same records, skipped alike); the embedded path itself runs in test/shards.test.ts and others.
 */
const populated = (id: string) => fileURLToPath(new URL(`../fixtures/${id}/populated.json`, import.meta.url));

const PROTOCOLS = Object.keys(protocols);

describe.concurrent.each(PROTOCOLS)('accord check %s against a populated mock', (id) => {
  test('through each endpoint: passes every check at quirk, covers every method and kind, changes nothing, shows no secret', async () => {
    expect(existsSync(populated(id)), `fixtures/${id}/populated.json`).toBe(true);
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
      const flags = [...serveFlagsFor(id, { withSecrets: false }), ...secrets.flags];
      // One endpoint after the other, as `accord check <id>` checks its embedded mock's (a server's state,
      // nymea's lockdown among it, is shared by its endpoints).
      for (const url of server.urls) {
        const reports = tempReports();
        const run = await runCli(['check', id, '--url', url, ...flags, '--level', 'quirk', '--reports', reports]);
        expect(run.stderr, url).toBe('');
        expect(run.code, run.stdout.slice(-3000)).toBe(0);
        for (const file of REPORT_FILES) expect(existsSync(join(reports, id, file)), file).toBe(true);
        const results = readResults(reports, id);
        expect(results.mock).toBe(false);
        const failing = results.records.filter((r) =>
          ['failed', 'broken', 'below-gate'].includes(verdictOf(r, 'quirk')),
        );
        expect(
          failing.map((r) => r.id),
          url,
        ).toEqual([]);
        // Every declared method shows up in shapes (not skipped) and in rights; every applicable kind ran.
        const protocol = protocols[id]!;
        for (const m of protocol.methods) {
          expect(
            results.records.some((r) => r.method === m.name && r.kind === 'shapes' && r.skipped === undefined),
            `${url} ${m.name} shapes`,
          ).toBe(true);
          expect(
            results.records.filter((r) => r.method === m.name && r.kind === 'rights').length,
            `${url} ${m.name} rights`,
          ).toBe(protocol.identities.length);
        }
        expect(new Set(results.records.map((r) => r.kind))).toEqual(new Set(kindsOf(protocol)));
        expectNoSecret(outputs(run, reports, id), secrets);
        expect(run.stdout).not.toMatch(/too short or too common/);
      }
      expect(await server.state()).toEqual(before);
    } finally {
      await server.stop();
    }
  });
});
