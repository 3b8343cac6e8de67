import { afterAll, describe, expect, test } from 'vitest';
import { startMock, type MockServer } from '../../mock/server.js';
import { checkedMockDialect, protocols } from '../../src/protocols/index.js';
import { verdictOf } from '../../src/spec/check.js';
import { readResults, runCli, tempReports } from '../support/cli.js';

/**
 * A broken server is a verdict, not a set-up error: against a server whose rights are broken for every
 * identity (every key can do what the admin can; denials answered with 200, inside a 400 or beside a
 * result), with every identity given and described by the server as what its flag claims, accord runs and
 * exits 1 (does not conform), the first rights failure being pre-flight's own, recorded in the reports.
 */
interface Case {
  readonly protocol: string;
  readonly fault: string;
  /**
   * The given identity whose pre-flight call shows the broken rights, and the method it calls; null where
   * pre-flight makes no denied call (nymea: a refusal would lock the server for 3 s) and the checks find it.
   */
  readonly identity: string | null;
  readonly method: string;
  /** Credentials beyond the mock's own: a plain user to give (Kanboard's mock hands out none). */
  plainUser?(mock: MockServer): Promise<Record<string, string>>;
}

const KANBOARD_TOKEN = 'f'.repeat(60);

async function kanboardPlainUser(mock: MockServer): Promise<Record<string, string>> {
  const response = await fetch(`${mock.url}/jsonrpc.php`, {
    method: 'POST',
    headers: { authorization: `Basic ${btoa(`jsonrpc:${KANBOARD_TOKEN}`)}` },
    body: JSON.stringify({
      jsonrpc: '2.0',
      method: 'createUser',
      id: 1,
      params: { username: 'plain', password: 'plain-secret' },
    }),
  });
  expect(response.status).toBe(200);
  return { user: 'plain:plain-secret' };
}

const cases: readonly Case[] = [
  {
    protocol: 'kanboard',
    fault: 'every-user-is-admin',
    identity: 'app-user',
    method: 'getAllGroups',
    plainUser: kanboardPlainUser,
  },
  {
    protocol: 'kanboard',
    fault: 'denial-as-http-200',
    identity: 'app-user',
    method: 'getAllGroups',
    plainUser: kanboardPlainUser,
  },
  { protocol: 'octoprint', fault: 'every-key-is-admin', identity: 'user', method: 'access.users.list' },
  { protocol: 'octoprint', fault: 'non-admin-lists-users', identity: 'user', method: 'access.users.list' },
  { protocol: 'rhodecode', fault: 'every-token-is-super-admin', identity: 'user', method: 'get_users' },
  { protocol: 'rhodecode', fault: 'error-with-http-status', identity: 'user', method: 'get_users' },
  { protocol: 'rhodecode', fault: 'error-beside-result', identity: 'user', method: 'get_users' },
  { protocol: 'nymea', fault: 'scope-not-enforced', identity: null, method: 'Users.GetUsers' },
];

function flag(protocol: string, key: string): string {
  return `--${protocols[protocol]!.given.find((o) => o.key === key)!.flag}`;
}

function asFlagValue(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number'
    ? String(value)
    : `${(value as { username: string }).username}:${(value as { password: string }).password}`;
}

describe('servers whose rights are broken for every identity', () => {
  const mocks: MockServer[] = [];
  afterAll(async () => {
    await Promise.all(mocks.map((m) => m.close()));
  });

  test.each(cases)(
    "$protocol with $fault: exit 1, and pre-flight's finding in the reports where it makes one",
    async (c) => {
      const dialect = checkedMockDialect(c.protocol, {
        faults: [c.fault],
        ...(c.protocol === 'kanboard' ? { appToken: KANBOARD_TOKEN } : {}),
      });
      const mock = await startMock(c.protocol, { dialect });
      mocks.push(mock);
      const given: Record<string, unknown> = { ...mock.dialect.given, ...(await c.plainUser?.(mock)) };
      const credentials = Object.entries(given).flatMap(([k, v]) =>
        protocols[c.protocol]!.given.some((o) => o.key === k) ? [flag(c.protocol, k), asFlagValue(v)] : [],
      );
      const reports = tempReports();
      const run = await runCli([
        'check',
        c.protocol,
        '--url',
        mock.url,
        ...credentials,
        '--only',
        'rights',
        '--method',
        c.method,
        '--reports',
        reports,
      ]);
      expect(run.code, run.stdout.slice(-2000) + run.stderr).toBe(1);
      expect(run.stderr).toBe('');
      expect(run.stdout).not.toMatch(/could not run, so this is no conformance verdict/);
      if (c.identity === null) return;
      const results = readResults(reports, c.protocol);
      const finding = results.records.find((r) => r.id === `${c.protocol}/${c.method}/rights/preflight-${c.identity}`);
      expect(finding, results.records.map((r) => r.id).join('\n')).toBeDefined();
      expect(verdictOf(finding!, 'must')).toBe('failed');
      expect(finding!.exchanges.length).toBe(2);
    },
    60_000,
  );
});
