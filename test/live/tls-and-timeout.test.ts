import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMock, type MockServer } from '../../mock/server.js';
import { checkedMockDialect } from '../../src/protocols/index.js';
import { runCli, tempReports } from '../support/cli.js';
import { hangingServer, type Faulty } from '../support/faulty-servers.js';
import { flagsFor } from '../support/live-flags.js';

/**
 * A TLS scheme on a plain port, and a server that never answers under --timeout: one line that says
 * what to change (not OpenSSL's error text), exit code 2, and pre-flight waits as long as --timeout says.
 */
describe('targets that answer TLS with plain text, or not at all', () => {
  let kanboard: MockServer;
  let nymea: MockServer;
  let hanging: Faulty;
  beforeAll(async () => {
    kanboard = await startMock('kanboard', { dialect: checkedMockDialect('kanboard') });
    nymea = await startMock('nymea', { dialect: checkedMockDialect('nymea') });
    hanging = await hangingServer();
  });
  afterAll(async () => {
    await Promise.all([kanboard?.close(), nymea?.close(), hanging?.close()]);
  });

  const secure = (url: string, scheme: string) => url.replace(/^[a-z]+:/, scheme);
  const cases: [string, () => Promise<string[]>, RegExp][] = [
    [
      'https:// to a plain HTTP port',
      async () => [
        'kanboard',
        '--url',
        secure(kanboard.url, 'https:'),
        ...(await flagsFor('kanboard', kanboard.controlUrl)),
      ],
      /answered plain HTTP to a TLS handshake; use http:\/\/$/,
    ],
    [
      'wss:// to a plain WebSocket port',
      async () => [
        'nymea',
        '--url',
        secure(
          nymea.urls.find((u) => u.startsWith('ws:'))!,
          'wss:',
        ),
        ...(await flagsFor('nymea', nymea.controlUrl)),
      ],
      /answered plain text to a TLS handshake; use ws:\/\/$/,
    ],
    [
      'tls:// to a plain TCP port, --timeout 1500',
      async () => [
        'nymea',
        '--url',
        secure(
          nymea.urls.find((u) => u.startsWith('tcp:'))!,
          'tls:',
        ),
        ...(await flagsFor('nymea', nymea.controlUrl)),
        '--timeout',
        '1500',
      ],
      /(no TLS handshake within 1500 ms|closed the connection during the TLS handshake); if it is a plain port, use tcp:\/\/$/,
    ],
    [
      'a server that never answers, --timeout 1500',
      async () => ['kanboard', '--url', hanging.url, '--app-token', 'x'.repeat(60), '--timeout', '1500'],
      /no answer within 1500 ms$/,
    ],
  ];
  test.each(cases)('%s', async (_name, args, reason) => {
    const run = await runCli(['check', ...(await args()), '--reports', tempReports()]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(reason);
    expect(run.stderr).not.toMatch(/SSL routines|EPROTO/);
  });
});
