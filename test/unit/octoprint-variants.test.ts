import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createOctoPrintDialect } from '../../mock/dialects/octoprint/index.js';
import { startMock, type MockServer } from '../../mock/server.js';
import type { TargetConfig } from '../../src/client/target.js';
import { planOf, targetOfMock } from '../support/mock-context.js';
import { octoprint } from '../../src/protocols/octoprint/index.js';
import { eraOfVersion, ERAS } from '../../src/protocols/octoprint/variants.js';
import { chooseVariant } from '../../src/runner/variant.js';
import { readResults, runCli, tempReports } from '../support/cli.js';

const VARIANTS = Object.keys(ERAS);

/** One request to an OctoPrint dialect as the seeded admin (or with the key given). */
async function send(
  dialect: ReturnType<typeof createOctoPrintDialect>,
  method: string,
  url: string,
  body?: unknown,
  key = dialect.given.adminKey,
) {
  const headers: Record<string, string> = {
    ...(key ? { 'x-api-key': key } : {}),
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  };
  const response = await dialect.handle({
    method,
    url,
    headers,
    body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = typeof response.body === 'string' ? response.body : Buffer.from(response.body ?? '').toString('utf8');
  return {
    status: response.status,
    json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

describe('OctoPrint release eras', () => {
  test('a release maps to the era it belongs to', () => {
    expect(
      [
        '1.4.0',
        '1.4.2',
        '1.5.3',
        '1.6.0',
        '1.8.2',
        '1.8.3',
        '1.9.3',
        '1.10.2',
        '1.10.3',
        '1.11.6',
        '1.11.7',
        '1.11.8',
      ].map(eraOfVersion),
    ).toEqual(['1.4', '1.4', '1.5', '1.6', '1.6', '1.8.3', '1.9', '1.10', '1.10.3', '1.11', '1.11.7', '1.11.7']);
    expect([eraOfVersion('1.3.12'), eraOfVersion('2.0.0'), eraOfVersion('unknown')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(octoprint.variants?.default).toBe('1.11.7');
  });

  test('an unknown variant is refused', () => {
    expect(() => createOctoPrintDialect({ variant: '1.3' })).toThrow('octoprint has no variant "1.3"');
  });
});

describe('detection from GET /api/version', () => {
  const mocks: Record<string, MockServer> = {};
  beforeAll(async () => {
    for (const v of VARIANTS) mocks[v] = await startMock('octoprint', { dialect: { variant: v } });
  });
  afterAll(async () => Promise.all(Object.values(mocks).map((m) => m.close())));

  const planFor = (target: TargetConfig) => planOf(target, { timeoutMs: 5000 });

  test.each(VARIANTS)('%s is detected', async (v) => {
    const target = targetOfMock('octoprint', { url: mocks[v]!.url, given: mocks[v]!.dialect.given });
    const choice = await chooseVariant(planFor(target), target, undefined);
    expect(choice).toMatchObject({
      id: v,
      source: 'detected',
      evidence: `GET /api/version says server ${ERAS[v]!.served}`,
    });
  });
});

describe('the mock answers as each era does', () => {
  test('an API key that matches nothing: 403 "Invalid API key" up to 1.10, anonymous from 1.11', async () => {
    const answers = await Promise.all(
      ['1.10.3', '1.11'].map(
        async (v) =>
          (
            await send(
              createOctoPrintDialect({ variant: v }),
              'GET',
              '/api/access/permissions',
              undefined,
              'no-such-key',
            )
          ).status,
      ),
    );
    expect(answers).toEqual([403, 200]);
    const refused = await send(
      createOctoPrintDialect({ variant: '1.10' }),
      'GET',
      '/api/access/permissions',
      undefined,
      'no-such-key',
    );
    expect(refused.json).toEqual({ error: 'Invalid API key' });
  });

  test('a group without subgroups: 400 from 1.11.7, a KeyError (500) before', async () => {
    const body = { key: 'g', name: 'G', permissions: [] };
    const answers = await Promise.all(
      ['1.11', '1.11.7'].map(async (v) =>
        send(createOctoPrintDialect({ variant: v }), 'POST', '/api/access/groups', body),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([500, 400]);
    expect(answers[1]!.json).toEqual({ error: 'subgroups are missing' });
  });

  test('a body not sent as JSON: 400 "Expected content-type JSON" before 1.9, 415 from 1.9', async () => {
    const answers = [];
    for (const v of ['1.8.3', '1.9']) {
      const d = createOctoPrintDialect({ variant: v });
      const r = await d.handle({
        method: 'POST',
        url: '/api/access/groups',
        headers: { 'x-api-key': d.given.adminKey!, 'content-type': 'text/plain' },
        body: '{}',
      });
      answers.push(r.status);
    }
    expect(answers).toEqual([400, 415]);
  });

  test('errors: text or HTML in 1.4–1.5, JSON from 1.6', async () => {
    const answers: Record<string, [number, string, string]> = {};
    for (const v of ['1.5', '1.6']) {
      const d = createOctoPrintDialect({ variant: v });
      const r = await d.handle({
        method: 'POST',
        url: '/api/access/groups',
        headers: { 'x-api-key': d.given.adminKey!, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'G', permissions: [] }),
      });
      const missing = await d.handle({
        method: 'GET',
        url: '/api/access/groups/accord_nosuchgroup',
        headers: { 'x-api-key': d.given.adminKey! },
        body: '',
      });
      const body = String(r.body);
      answers[v] = [
        r.status,
        body.startsWith('{') ? JSON.stringify(JSON.parse(body)) : body,
        (missing.headers['content-type'] ?? '').split(';')[0]!,
      ];
    }
    expect(answers).toEqual({
      '1.5': [400, 'Missing mandatory key field', 'text/html'],
      '1.6': [400, JSON.stringify({ error: 'key is missing' }), 'application/json'],
    });
  });

  test('before 1.8.3: no CSRF check, SETTINGS is enough; 1.4 reads no Bearer token', async () => {
    const write = async (v: string) =>
      (await send(createOctoPrintDialect({ variant: v }), 'POST', '/api/access/groups', { key: 'g' }, '')).status;
    expect([await write('1.6'), await write('1.8.3')]).toEqual([403, 400]);
    const settingsOnly = async (v: string) => {
      const d = createOctoPrintDialect({ variant: v });
      await send(d, 'POST', '/api/access/users', {
        name: 'sam',
        password: 'Sam-pass-1',
        active: true,
        groups: [],
        permissions: ['SETTINGS'],
      });
      const key = (await send(d, 'POST', '/api/access/users/sam/apikey')).json?.['apikey'] as string;
      return (await send(d, 'GET', '/api/access/users', undefined, key)).status;
    };
    expect([await settingsOnly('1.6'), await settingsOnly('1.8.3')]).toEqual([200, 403]);
    const bearer = async (v: string) => {
      const d = createOctoPrintDialect({ variant: v });
      const r = await d.handle({
        method: 'GET',
        url: '/api/access/users',
        headers: { authorization: `Bearer ${d.given.adminKey!}` },
        body: '',
      });
      return r.status;
    };
    expect([await bearer('1.4'), await bearer('1.5')]).toEqual([403, 200]);
  });

  test('TIMELAPSE_MANAGE_UNRENDERED is a core permission from 1.10 on', async () => {
    const has = async (v: string) => {
      const d = createOctoPrintDialect({ variant: v });
      const list = (await send(d, 'GET', '/api/access/permissions')).json?.['permissions'] as { key: string }[];
      const users = (await send(d, 'GET', '/api/access/groups/users')).json?.['permissions'] as string[];
      return [list.some((p) => p.key === 'TIMELAPSE_MANAGE_UNRENDERED'), users.includes('TIMELAPSE_MANAGE_UNRENDERED')];
    };
    expect([await has('1.9'), await has('1.10')]).toEqual([
      [false, false],
      [true, true],
    ]);
  });

  test('an unknown key on a write: 403 "Invalid API key" before the CSRF check up to 1.10', async () => {
    const answers = [];
    for (const v of ['1.10.3', '1.11']) {
      const r = await send(createOctoPrintDialect({ variant: v }), 'POST', '/api/access/groups', {}, 'no-such-key');
      answers.push([r.status, r.json?.['error']]);
    }
    expect(answers).toEqual([
      [403, 'Invalid API key'],
      [400, 'CSRF validation failed'],
    ]);
  });

  test("a wrong current password: accepted before 1.8.3; an admin's is checked in 1.8.3–1.9 only", async () => {
    const statuses: Record<string, number[]> = {};
    for (const v of ['1.4', '1.8.3', '1.10']) {
      const d = createOctoPrintDialect({ variant: v });
      await send(d, 'POST', '/api/access/users', {
        name: 'jane',
        password: 'Jane-pass-1',
        active: true,
        groups: ['users'],
        permissions: [],
      });
      const key = (await send(d, 'POST', '/api/access/users/jane/apikey')).json?.['apikey'] as string;
      const own = await send(
        d,
        'PUT',
        '/api/access/users/jane/password',
        { password: 'Jane-pass-2', current: 'wrong' },
        key,
      );
      const byAdmin = await send(d, 'PUT', '/api/access/users/jane/password', {
        password: 'Jane-pass-3',
        current: 'wrong',
      });
      statuses[v] = [own.status, byAdmin.status];
    }
    expect(statuses).toEqual({ '1.4': [200, 200], '1.8.3': [403, 403], '1.10': [403, 200] });
  });
});

describe('a mock of one era checked as another fails at quirk only, naming the era expected', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMock('octoprint', { dialect: { variant: '1.11.7' } });
  });
  afterAll(async () => mock.close());

  test('the 1.11.7 mock checked as 1.10', async () => {
    const reports = tempReports();
    const given = mock.dialect.given as { adminKey: string; globalKey: string };
    const args = [
      'check',
      'octoprint',
      '--url',
      mock.url,
      '--admin-key',
      given.adminKey,
      '--global-key',
      given.globalKey,
      '--variant',
      '1.10',
    ];
    const run = await runCli([...args, '--level', 'quirk', '--only', 'rights,params,envelope', '--reports', reports]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('variant 1.10 (OctoPrint 1.10.0–1.10.2), given: given with --variant');
    const results = readResults(reports, 'octoprint');
    const notes = results.records.flatMap((r) => r.facets.filter((f) => !f.ok).map((f) => `${r.id}: ${f.note ?? ''}`));
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^octoprint\/access\.permissions\.list\/rights\/invalid-key: expected the 1\.10 form; the reply is the 1\.11 or the 1\.11\.7 form/,
        ),
      ]),
    );
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^octoprint\/access\.groups\.add\/params\/missing-subgroups: expected the 1\.10 form; the reply is the 1\.11\.7 form/,
        ),
      ]),
    );
    expect(results.records.flatMap((r) => r.facets.filter((f) => !f.ok && f.level !== 'quirk'))).toEqual([]);
  }, 120_000);
});
