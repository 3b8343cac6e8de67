import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDialect } from '../../mock/dialects/index.js';
import { startMock, type MockServer } from '../../mock/server.js';
import { checkedMockDialect, protocols } from '../../src/protocols/index.js';
import { isUnavailable } from '../../src/spec/protocol.js';
import { runCli, tempReports } from '../support/cli.js';
import { htmlServer, type Faulty } from '../support/faulty-servers.js';

/**
 * For every protocol: a target accord cannot use (unreachable, not the protocol, a wrong secret, a plain
 * user's credentials given as the admin's) gives exit code 2 and one line, within 10 seconds.
 */
const HTTP = Object.keys(protocols).filter((id) => protocols[id]!.preflight.length > 0);

function flag(id: string, key: string): string {
  return `--${protocols[id]!.given.find((o) => o.key === key)!.flag}`;
}

function asFlagValue(value: unknown): string {
  return typeof value === 'string'
    ? value
    : `${(value as { username: string }).username}:${(value as { password: string }).password}`;
}

describe.each(HTTP)('%s targets that cannot be checked', (id) => {
  const protocol = protocols[id]!;
  let mock: MockServer;
  let html: Faulty;
  let given: Record<string, unknown>;
  beforeAll(async () => {
    mock = await startMock(id, { dialect: checkedMockDialect(id) });
    html = await htmlServer();
    given = { ...mock.dialect.given };
  });
  afterAll(async () => {
    await mock.close();
    await html.close();
  });

  const args = (url: string, values: Record<string, unknown>) => [
    'check',
    id,
    '--url',
    url,
    ...Object.entries(values).flatMap(([k, v]) => (v === undefined ? [] : [flag(id, k), asFlagValue(v)])),
    '--reports',
    tempReports(),
  ];

  async function expectCouldNotRun(argv: string[], reason: RegExp) {
    // A hang fails by the test's timeout; no wall-clock bound (the machine may be loaded).
    const run = await runCli(argv);
    expect(run.code, run.stdout.slice(-2000) + run.stderr).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(reason);
  }

  // In the scheme the protocol speaks (tcp:// for nymea): the same address, the wrong server.
  const sameScheme = (url: string) => url.replace(/^[a-z]+:/, new URL(mock.url).protocol);
  test('an unreachable URL', () =>
    expectCouldNotRun(args(sameScheme('http://127.0.0.1:9'), given), /cannot reach .*connection refused/));
  test('a target that answers HTML', () => expectCouldNotRun(args(sameScheme(html.url), given), /is the URL right\?/));

  test('a wrong secret for the identity that sets checks up', async () => {
    const arranger = protocol.identities.find(
      (i) =>
        i.id ===
        protocol.arrangers.find(
          (a) => !isUnavailable(protocol.identities.find((x) => x.id === a)!.credentials(undefined, given)),
        ),
    );
    const key = arranger?.givenBy;
    expect(key).toBeDefined();
    const value = given[key!];
    const wrong =
      typeof value === 'string' ? `${value.slice(0, -4)}zzzz` : { ...(value as object), password: 'not-the-password' };
    // Only that identity: another given one could still set checks up.
    await expectCouldNotRun(args(mock.url, { [key!]: wrong }), /was refused/);
  });

  // Where the mock hands out a plain user's credentials (Kanboard's case is in unusable-targets.test.ts).
  const swap = plainUserAsAdmin(id);
  if (swap) {
    test("a plain user's credentials given as the admin's", () =>
      expectCouldNotRun(args(mock.url, { [swap.admin]: given[swap.user] }), /was refused|is not/));
  }
});

/** The given keys of an admin identity and of a plain user identity, both among the mock's credentials. */
function plainUserAsAdmin(id: string): { admin: string; user: string } | undefined {
  const protocol = protocols[id]!;
  const mockGiven = createDialect(id).given;
  const probe = protocol.methods.find((m) => m.name === protocol.preflight[0]?.method);
  const probed = protocol.preflight
    .map((p) => protocol.identities.find((i) => i.id === p.identity))
    .filter((i) => i?.givenBy && mockGiven[i.givenBy] !== undefined);
  const admin = probed.find((i) => probe?.access.decide(i!, undefined).allowed);
  const user = probed.find((i) => !probe?.access.decide(i!, undefined).allowed);
  return admin && user ? { admin: admin.givenBy!, user: user.givenBy! } : undefined;
}
