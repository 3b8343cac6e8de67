import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/commands/config.js';
import { readResults, runCli, tempReports } from '../support/cli.js';
import { createKanboardDialect } from '../../mock/dialects/kanboard/index.js';
import { startMock, type MockServer } from '../../mock/server.js';
import type { TargetConfig } from '../../src/client/target.js';
import { planOf, targetOfMock } from '../support/mock-context.js';
import { kanboard } from '../../src/protocols/kanboard/index.js';
import { chooseVariant } from '../../src/runner/variant.js';
import { eraOfVersion } from '../../src/protocols/kanboard/variants.js';
import { evaluate } from '../../src/spec/expectation.js';
import { byVariant, formOf, variantFacets } from '../../src/spec/variant.js';
import { status } from '../../src/wire/jsonrpc2.js';
import { base64FromUtf8 } from '../../src/wire/text.js';

const VARIANTS = ['sqlite', 'postgres', 'mysql'] as const;
const ERA_VARIANTS = [
  'sqlite-1.2.20',
  'postgres-1.2.27',
  'mysql-1.2.29',
  'sqlite-php7',
  'mysql-1.2.20-php7',
  'postgres-php7',
];

/** One JSON-RPC call to a Kanboard dialect, as the app API (default) or as a user. */
async function rpc(
  dialect: ReturnType<typeof createKanboardDialect>,
  method: string,
  params: unknown,
  as = `jsonrpc:${dialect.state.appToken}`,
) {
  const response = await dialect.handle({
    method: 'POST',
    url: '/jsonrpc.php',
    headers: { 'content-type': 'application/json', authorization: `Basic ${base64FromUtf8(as)}` },
    body: JSON.stringify({ jsonrpc: '2.0', method, id: 1, params }),
  });
  const text = typeof response.body === 'string' ? response.body : Buffer.from(response.body ?? '').toString('utf8');
  return {
    status: response.status,
    text,
    json:
      text === '' ? undefined : (JSON.parse(text) as { result?: unknown; error?: { code: number; message: string } }),
  };
}

describe('the variant model', () => {
  test("formOf picks a variant's form, else the default", () => {
    const forms = byVariant({ default: 'a', postgres: 'b' });
    expect([formOf(forms, 'postgres'), formOf(forms, 'mysql'), formOf('plain', 'postgres')]).toEqual([
      'b',
      'a',
      'plain',
    ]);
  });

  test('a failing variant facet names the variant expected and the form the reply matches', () => {
    const forms = byVariant({ default: [status(200)], sqlite: [status(200)], postgres: [status(403)] });
    const [outcome] = evaluate(variantFacets(forms, 'postgres'), {
      transport: 'http',
      status: 200,
      headers: {},
      text: '',
      json: undefined,
    } as never);
    expect(outcome).toMatchObject({ ok: false, says: expect.stringContaining('(postgres form)') as unknown });
    expect(outcome!.note).toContain('expected the postgres form; the reply is the sqlite form');
  });
});

describe('detection', () => {
  const mocks: Record<string, MockServer> = {};
  beforeAll(async () => {
    for (const v of VARIANTS) mocks[v] = await startMock('kanboard', { dialect: { variant: v } });
  });
  afterAll(async () => Promise.all(Object.values(mocks).map((m) => m.close())));

  const planFor = (target: TargetConfig) => planOf(target, { timeoutMs: 5000 });
  const targetOf = (v: string) => targetOfMock('kanboard', { url: mocks[v]!.url, given: mocks[v]!.dialect.given });

  test.each(VARIANTS)('%s is detected from the answers, and the probe leaves nothing behind', async (v) => {
    const before = JSON.stringify(mocks[v]!.dialect.snapshot());
    const target = targetOf(v);
    const choice = await chooseVariant(planFor(target), target, undefined);
    expect(choice).toMatchObject({ id: v, source: 'detected' });
    const after = mocks[v]!.dialect.snapshot() as { users: { username: string }[] };
    expect(after.users.map((u) => u.username)).toEqual(
      (JSON.parse(before) as typeof after).users.map((u) => u.username),
    );
  });

  test('a given variant wins over detection; one the protocol lacks is a message, not a choice', async () => {
    const target = targetOf('postgres');
    expect(await chooseVariant(planFor(target), target, { id: 'mysql', by: 'given with --variant' })).toEqual({
      id: 'mysql',
      source: 'given',
      evidence: 'given with --variant',
    });
    expect(await chooseVariant(planFor(target), target, { id: 'oracle', by: 'given with --variant' })).toMatch(
      /^--variant for kanboard is one of sqlite, postgres, mysql, sqlite-1\.2\.29, .*, mysql-1\.2\.20-php7, not "oracle"$/,
    );
  });

  test('the config key variant says it per target', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'accord-variant-')), 'accord.config.json');
    writeFileSync(
      file,
      JSON.stringify({ targets: [{ name: 'pg', protocol: 'kanboard', mock: true, variant: 'postgres' }] }),
    );
    expect(loadConfig(file).targets[0]?.variant).toEqual({
      id: 'postgres',
      source: 'given',
      evidence: `given in ${file}`,
    });
  });

  test('Kanboard declares its three databases first, SQLite the default, then older eras and PHP 7.4/8.0', () => {
    const ids = kanboard.variants?.list.map((v) => v.id) ?? [];
    expect(ids.slice(0, 3)).toEqual(['sqlite', 'postgres', 'mysql']);
    expect(kanboard.variants?.default).toBe('sqlite');
    expect(ids).toHaveLength(24);
    expect(ids).toEqual(expect.arrayContaining(['mysql-1.2.29', 'postgres-1.2.27', 'sqlite-1.2.20', 'sqlite-php7']));
    expect(ids).toContain('mysql-1.2.20-php7');
    expect(kanboard.variants?.list.find((v) => v.id === 'sqlite-1.2.20-php7')?.title).toBe(
      'SQLite, Kanboard 1.2.20–1.2.26, PHP 7.4/8.0',
    );
  });

  test('a release number names its era; a build from git is the current one', () => {
    const era = (text: string) => eraOfVersion(text)?.era;
    expect(
      ['1.2.19', 'v1.2.20', '1.2.26', '1.2.27', '1.2.28', '1.2.29', '1.2.35', '1.2.36', '1.2.53', '1.3.0'].map(era),
    ).toEqual(['1.2.20', '1.2.20', '1.2.20', '1.2.27', '1.2.27', '1.2.29', '1.2.29', '1.2.36', '1.2.36', '1.2.36']);
    expect(eraOfVersion('main.2cba210dbad4e110d4efdec97d71a38b5df48dad')).toBeUndefined();
  });

  test.each(ERA_VARIANTS)('%s (an older release or PHP) is detected from getVersion and the answers', async (v) => {
    const mock = await startMock('kanboard', { dialect: { variant: v } });
    try {
      const target = targetOfMock('kanboard', { url: mock.url, given: mock.dialect.given });
      expect(await chooseVariant(planFor(target), target, undefined)).toMatchObject({ id: v, source: 'detected' });
    } finally {
      await mock.close();
    }
  });
});

describe('the mock answers as each database does', () => {
  test('an unknown variant is refused', () => {
    expect(() => createKanboardDialect({ variant: 'oracle' })).toThrow('kanboard has no variant "oracle"');
  });

  test('users rows: SQLite keeps is_admin and integers; PostgreSQL drops it and sends booleans; MySQL drops it', async () => {
    const rows = await Promise.all(
      VARIANTS.map(
        async (v) =>
          (await rpc(createKanboardDialect({ variant: v }), 'getUser', { user_id: 1 })).json?.result as Record<
            string,
            unknown
          >,
      ),
    );
    const [sqlite, postgres, mysql] = rows;
    // A fresh SQLite install's admin keeps is_admin 1 from the first migration (as a real server answers).
    expect([sqlite!['is_admin'], sqlite!['is_active'], sqlite!['notifications_enabled']]).toEqual([1, 1, 0]);
    expect([
      'is_admin' in postgres!,
      postgres!['is_active'],
      postgres!['notifications_enabled'],
      'is_project_admin' in postgres!,
    ]).toEqual([false, true, false, false]);
    expect(['is_admin' in mysql!, mysql!['is_active']]).toEqual([false, 1]);
  });

  test('getMe keeps twofactor_secret: null on every database', async () => {
    for (const v of VARIANTS) {
      const reply = await rpc(createKanboardDialect({ variant: v }), 'getMe', {}, 'admin:admin');
      expect(reply.json?.result).toMatchObject({ twofactor_secret: null });
      expect(reply.json?.result).not.toHaveProperty('password');
    }
  });

  test('PostgreSQL: nulls in NOT NULL columns and ids that are not integers are SQL errors, error code 0', async () => {
    const pg = createKanboardDialect({ variant: 'postgres' });
    const nullName = await rpc(pg, 'createGroup', { name: null });
    expect(nullName.json?.error?.code).toBe(0);
    expect(nullName.json?.error?.message).toMatch(
      /^SQL Error\[23502\]: SQLSTATE\[23502\]: Not null violation: 7 ERROR: {2}null value in column "name" of relation "groups" violates not-null constraint\nDETAIL: {2}Failing row contains \(1, , null\)\.$/,
    );
    // The failed insert used up id 1: the next group gets 2.
    expect((await rpc(pg, 'createGroup', { name: 'accord_test00_g' })).json?.result).toBe(2);
    const nullRole = await rpc(pg, 'createUser', { username: 'accord_test00_u', password: 'secret123', role: null });
    expect(nullRole.json?.error?.message).toContain('null value in column "role" of relation "users"');
    for (const [value, text] of [
      ['abc', 'abc'],
      [false, ''],
      [[1], 'Array'],
      [{ a: 1 }, 'Array'],
    ] as const) {
      const reply = await rpc(pg, 'getUser', { user_id: value });
      expect(reply.json?.error?.message).toContain(
        `SQL Error[22P02]: SQLSTATE[22P02]: Invalid text representation: 7 ERROR:  invalid input syntax for type integer: "${text}"`,
      );
    }
    for (const v of ['sqlite', 'mysql'])
      expect((await rpc(createKanboardDialect({ variant: v }), 'getUser', { user_id: 'abc' })).json?.result).toBeNull();
  });

  test('getProjectUsers {project_id: "abc"} as a member: 403 on SQLite, the SQL error (HTTP 200) on PostgreSQL', async () => {
    const answers = [];
    for (const v of ['sqlite', 'postgres']) {
      const d = createKanboardDialect({ variant: v });
      const user = (await rpc(d, 'createUser', { username: 'accord_test00_m', password: 'secret123' })).json?.result;
      const project = (await rpc(d, 'createProject', { name: 'accord_test00_p' })).json?.result;
      await rpc(d, 'addProjectUser', { project_id: project, user_id: user, role: 'project-member' });
      const reply = await rpc(d, 'getProjectUsers', { project_id: 'abc' }, 'accord_test00_m:secret123');
      answers.push([reply.status, reply.json?.error?.code]);
    }
    expect(answers).toEqual([
      [403, 403],
      [200, 0],
    ]);
  });

  test('MySQL: names compare case-insensitively, Basic login too; new users get lock_expiration_date null', async () => {
    const my = createKanboardDialect({ variant: 'mysql' });
    const id = (await rpc(my, 'createUser', { username: 'alice', password: 'secret123' })).json?.result;
    expect(((await rpc(my, 'getUserByName', { username: 'Alice' })).json?.result as { id?: unknown }).id).toBe(id);
    expect((await rpc(my, 'createUser', { username: 'ALICE', password: 'secret123' })).json?.result).toBe(false);
    await rpc(my, 'createGroup', { name: 'developers' });
    expect((await rpc(my, 'createGroup', { name: 'DEVELOPERS' })).json?.result).toBe(false);
    expect((await rpc(my, 'getMe', {}, 'ADMIN:admin')).status).toBe(200);
    expect(
      ((await rpc(my, 'getUser', { user_id: id })).json?.result as { lock_expiration_date?: unknown })
        .lock_expiration_date,
    ).toBeNull();
    expect(
      ((await rpc(my, 'getUser', { user_id: 1 })).json?.result as { lock_expiration_date?: unknown })
        .lock_expiration_date,
    ).toBe(0);
    const sqlite = createKanboardDialect();
    expect((await rpc(sqlite, 'getMe', {}, 'ADMIN:admin')).status).toBe(401);
  });

  test('older releases: usernames untrimmed before 1.2.27, no theme before 1.2.29, no role null before 1.2.36', async () => {
    const old = createKanboardDialect({ variant: 'sqlite-1.2.20' });
    const current = createKanboardDialect();
    expect((await rpc(old, 'getVersion', {})).json?.result).toBe('1.2.26');
    expect((await rpc(current, 'getVersion', {})).json?.result).toMatch(/^main\./);
    for (const [d, stored] of [
      [old, '  bob '],
      [current, 'bob'],
    ] as const) {
      const id = (await rpc(d, 'createUser', { username: '  bob ', password: 'secret123' })).json?.result;
      expect(((await rpc(d, 'getUser', { user_id: id })).json?.result as { username?: unknown }).username).toBe(stored);
    }
    expect((await rpc(old, 'getUser', { user_id: 1 })).json?.result).not.toHaveProperty('theme');
    expect(
      (await rpc(createKanboardDialect({ variant: 'mysql-1.2.29' }), 'getUser', { user_id: 1 })).json?.result,
    ).toHaveProperty('theme', 'light');
    for (const [v, answer] of [
      ['postgres-1.2.29', null],
      ['postgres', ''],
    ] as const) {
      const d = createKanboardDialect({ variant: v });
      const project = (await rpc(d, 'createProject', { name: 'accord_test00_p' })).json?.result;
      expect((await rpc(d, 'getProjectUserRole', { project_id: project, user_id: 1 })).json?.result).toBe(answer);
    }
  });

  test('PHP before 8.1: SQLite and MySQL send numbers as strings, getClassName is refused; getMe keeps its casts', async () => {
    for (const v of ['sqlite-php7', 'mysql-php7']) {
      const d = createKanboardDialect({ variant: v });
      const row = (await rpc(d, 'getUser', { user_id: 1 })).json?.result as Record<string, unknown>;
      expect([row['id'], row['is_active'], row['nb_failed_login']]).toEqual(['1', '1', '0']);
      expect((await rpc(d, 'createGroup', { name: 'accord_test00_g' })).json?.result).toBe(1);
      expect((await rpc(d, 'getAllGroups', {})).json?.result).toEqual([
        { id: '1', name: 'accord_test00_g', external_id: '', nb_users: '0' },
      ]);
      const me = (await rpc(d, 'getMe', {}, 'admin:admin')).json?.result as Record<string, unknown>;
      expect([me['id'], me['is_ldap_user'], me['is_active']]).toEqual([1, false, '1']);
    }
    const pg = (await rpc(createKanboardDialect({ variant: 'postgres-php7' }), 'getUser', { user_id: 1 })).json
      ?.result as Record<string, unknown>;
    expect([pg['id'], pg['is_active']]).toEqual([1, true]);
    const refused = await rpc(createKanboardDialect({ variant: 'postgres-php7' }), 'getClassName', {});
    expect(refused.json?.error).toEqual({
      code: 0,
      message:
        'Trying to invoke protected method Kanboard\\Api\\Procedure\\MeProcedure::getClassName() from scope ReflectionMethod',
    });
    expect((await rpc(createKanboardDialect(), 'getClassName', {})).json?.result).toBe('MeProcedure');
  });

  test('a project with a group that has no members lists the entry "": null (every database)', async () => {
    for (const v of VARIANTS) {
      const d = createKanboardDialect({ variant: v });
      const project = (await rpc(d, 'createProject', { name: 'accord_test00_p' })).json?.result;
      const group = (await rpc(d, 'createGroup', { name: 'accord_test00_g' })).json?.result;
      await rpc(d, 'addProjectGroup', { project_id: project, group_id: group, role: 'project-member' });
      expect((await rpc(d, 'getProjectUsers', { project_id: project })).text).toContain('"result":{"":null}');
    }
  });
});

describe('a server of another variant than the one checked fails at quirk, and the report says so', () => {
  let sqlite: MockServer;
  beforeAll(async () => {
    sqlite = await startMock('kanboard');
  });
  afterAll(async () => sqlite.close());

  test('the SQLite mock checked as PostgreSQL: the failures name the postgres form expected and the sqlite form seen', async () => {
    const reports = tempReports();
    const given = sqlite.dialect.given as { appToken: string };
    const args = [
      'check',
      'kanboard',
      '--url',
      sqlite.url,
      '--app-token',
      given.appToken,
      '--admin',
      'admin:admin',
      '--variant',
      'postgres',
    ];
    const run = await runCli([...args, '--level', 'quirk', '--only', 'shapes,errors', '--reports', reports]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('variant postgres (PostgreSQL), given: given with --variant');
    const results = readResults(reports, 'kanboard');
    expect(results.variant).toEqual({ id: 'postgres', source: 'given', evidence: 'given with --variant' });
    const notes = results.records.flatMap((r) => r.facets.filter((f) => !f.ok).map((f) => `${r.id}: ${f.note ?? ''}`));
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^kanboard\/getUser\/shapes\/valid: expected the postgres form; the reply is the sqlite/),
      ]),
    );
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^kanboard\/createGroup\/errors\/null-name: expected the postgres form; the reply is the sqlite/,
        ),
      ]),
    );
    // must and should hold for every variant: nothing below quirk fails.
    expect(results.records.flatMap((r) => r.facets.filter((f) => !f.ok && f.level !== 'quirk'))).toEqual([]);
  }, 120_000);
});
