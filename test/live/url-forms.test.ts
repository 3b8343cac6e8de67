import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import { startMock, type MockServer } from '../../mock/server.js';
import { checkedMockDialect, protocolById } from '../../src/protocols/index.js';
import { runCli, tempReports } from '../support/cli.js';
import { flagsFor } from '../support/live-flags.js';

/**
 * `accord check --url` with the endpoint URL users copy (Kanboard's `…/jsonrpc.php`, RhodeCode's
 * `…/_admin/api`, OctoPrint's `…/api`), on a server mounted under a prefix: every request goes to the
 * endpoint once, under the prefix, and the banner names the endpoint checked.
 */
interface PrefixProxy {
  readonly url: string;
  readonly paths: string[];
  close(): Promise<void>;
}

/** Serves `target` under `/mounted`, as a reverse proxy would; anything else is a 404. */
async function prefixProxy(target: string): Promise<PrefixProxy> {
  const paths: string[] = [];
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    paths.push(url);
    if (!url.startsWith('/mounted/')) {
      res.writeHead(404).end('not under /mounted/');
      return;
    }
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: url.slice('/mounted'.length),
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mounted`;
  return { url, paths, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const mocks: MockServer[] = [];
const proxies: PrefixProxy[] = [];
afterAll(async () => {
  await Promise.all([...mocks.map((m) => m.close()), ...proxies.map((p) => p.close())]);
});

describe('the endpoint URL of a server mounted under a prefix', () => {
  const cases: [protocol: string, method: string][] = [
    ['kanboard', 'getMe'],
    ['rhodecode', 'get_user'],
    ['octoprint', 'access.permissions.list'],
  ];
  test.each(cases)('%s', async (id, method) => {
    const mock = await startMock(id, { dialect: checkedMockDialect(id) });
    mocks.push(mock);
    const proxy = await prefixProxy(mock.url);
    proxies.push(proxy);
    const endpoint = `${proxy.url}${protocolById(id)!.endpoint.path}`;
    const args = [
      'check',
      id,
      '--url',
      endpoint,
      ...(await flagsFor(id, mock.controlUrl)),
      '--only',
      'shapes',
      '--method',
      method,
    ];
    const run = await runCli([...args, '--reports', tempReports()]);
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain(`checking ${id} at ${endpoint}, gate must`);
    expect(proxy.paths.length).toBeGreaterThan(0);
    const doubled = new URL(endpoint).pathname + protocolById(id)!.endpoint.path;
    for (const path of proxy.paths) {
      expect(path.startsWith('/mounted/')).toBe(true);
      expect(path === doubled || path.startsWith(`${doubled}/`) || path.startsWith(`${doubled}?`), path).toBe(false);
    }
  });
});

test('nymea: a WebSocket URL with a trailing slash', async () => {
  const mock = await startMock('nymea', { dialect: checkedMockDialect('nymea') });
  mocks.push(mock);
  const ws = mock.urls.find((u) => u.startsWith('ws:'))!;
  const run = await runCli([
    'check',
    'nymea',
    '--url',
    `${ws}/`,
    ...(await flagsFor('nymea', mock.controlUrl)),
    '--only',
    'shapes',
    '--method',
    'Users.GetUsers',
    '--reports',
    tempReports(),
  ]);
  expect(run.code, run.stdout).toBe(0);
  expect(run.stdout).toContain(`checking nymea at ${ws}, gate must`);
});
