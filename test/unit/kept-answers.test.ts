import { describe, expect, test } from 'vitest';
import type { Fault } from '../../mock/faults/fault.js';
import { faultsOf } from '../../mock/faults/index.js';
import { forgetAllPieces, piecesAsked } from '../../mock/serial-cache.js';
import { startMock } from '../../mock/server.js';
import { dumpPythonJson } from '../../src/wire/python-json.js';
import type { RunContext } from '../../src/client/run-context.js';
import { checkedMockDialect, protocols } from '../../src/protocols/index.js';
import { arrangement, type MethodSpec } from '../../src/spec/method.js';
import type { Exchange } from '../../src/spec/session.js';
import { startCheckedMock } from '../support/mock-context.js';
import { DEEP } from '../support/scale.js';

const text = (e: Exchange) =>
  e.observed.transport === 'http' ? `${e.observed.status} ${e.observed.text}` : JSON.stringify(e.observed);
/** The id an RPC request carries (its answer echoes it). */
const requestId = (e: Exchange) => /"id": ?(\d+)/.exec(e.request)?.[1];

/** Two answers as sent, but for the ids their requests carried (each request has its own; both ids are blanked in both). */
function same(a: Exchange, b: Exchange): boolean {
  const ids = [requestId(a), requestId(b)].filter((id) => id !== undefined);
  if (ids.length === 0) return text(a) === text(b);
  // A fault may echo the id as a string ("id": "7"): the quote goes with the key.
  const blank = (t: string) =>
    t.replace(new RegExp(`(\\\\?"id\\\\?": ?(?:\\\\?")?)(${ids.join('|')})\\b`, 'g'), '$1<id>');
  return blank(text(a)) === blank(text(b));
}

/**
 * Answers the mock keeps between requests (mock/serial-cache.ts) are never stale: after every method of a
 * protocol that can change something (each fault switched on in turn, too), and after a reset through the
 * control endpoint, every read answers exactly what it answers once all kept pieces are forgotten and
 * written afresh. Reads are the methods routed as GET, and the RPC methods whose name says get (getAllUsers,
 * get_user, Users.GetUsers). The clean mock's run compares every read; a fault's run, the reads that the
 * clean run saw take kept pieces (a read made of none has nothing kept to go stale; a fault wraps a
 * dialect's stages, it does not make a read keep what it did not).
 */
const isRead = (m: MethodSpec<unknown, unknown>) =>
  m.route ? m.route.verb === 'GET' : /^get/i.test(m.name.split('.').at(-1)!);
const SKIP = Symbol('skip');
/**
 * The faults whose run is compared: those that change what a method does to the state (caught by lifecycle
 * checks), the only ones that write other than the clean mock does. The others change answers or who may call,
 * through stages fixed for a dialect's life, which a kept piece is made with. `npm run fuzz` compares every fault.
 */
const changesState = (f: Fault<unknown>) => DEEP || f.caughtBy.includes('lifecycle');
const withReads = Object.keys(protocols).filter((id) => protocols[id]!.methods.some(isRead));

describe.each(withReads)('%s: kept answers', (id) => {
  const protocol = protocols[id]!;
  const reads = protocol.methods.filter(isRead);
  // Filled by the clean run (the first of the tests below): the reads whose answers asked for kept pieces.
  const keptReads = new Set<string>();

  test.each([
    null,
    ...faultsOf(id)
      .filter(changesState)
      .map((f) => f.name),
  ])(
    'after every method (fault: %s), each read answers as if written afresh',
    async (fault) => {
      const { mock, context } = await startCheckedMock(id, { runId: 'kept' }, { faults: fault ? [fault] : [] });
      const ctx = context('k');
      // After a reset, a run of its own: the state the first one arranged, its sessions and tokens, are gone.
      const again = context('r');
      const stale: string[] = [];
      // Every read from what is kept, then all of them afresh (which also fills the cache for the next step).
      const compare = async (after: string, ctx: RunContext) => {
        // A read whose parameters can no longer be arranged (what it needs was deleted, or reset away) is left out.
        // Every read when the clean run saw none kept, or did not run before (a filtered run).
        const compared = fault && keptReads.size > 0 ? reads.filter((r) => keptReads.has(r.name)) : reads;
        const made = await Promise.all(
          compared.map(async (read) => ({
            read,
            params: await Promise.resolve()
              .then(() => arrangement(read.valid(ctx.callContext())))
              .then((a) => a.params)
              .catch(() => SKIP),
          })),
        );
        const calls = made.filter((c) => c.params !== SKIP);
        const kept = [];
        for (const { read, params } of calls) {
          const asked = piecesAsked();
          kept.push(await ctx.exchange(read.name, params, ctx.arranger));
          if (!fault && piecesAsked() > asked) keptReads.add(read.name);
        }
        forgetAllPieces();
        for (const [i, { read, params }] of calls.entries()) {
          const fresh = await ctx.exchange(read.name, params, ctx.arranger);
          if (!same(kept[i]!, fresh))
            stale.push(
              `${read.name} after ${after}: ${text(kept[i]!).slice(0, 300)} … instead of ${text(fresh).slice(0, 300)}`,
            );
        }
      };
      try {
        await ctx.buildWorld();
        await compare('the world was built', ctx);
        for (const method of protocol.methods) {
          await ctx
            .exchange(method.name, (await arrangement(method.valid(ctx.callContext()))).params, ctx.arranger)
            .catch(() => undefined);
          // A read changes nothing a later read could find stale (its own answer is compared after the next change).
          if (!isRead(method)) await compare(method.name, ctx);
        }
        await ctx.teardown();
        expect((await fetch(`${mock.controlUrl}/__accord/control/reset`, { method: 'POST' })).status).toBe(200);
        await compare('a reset', again);
      } finally {
        await again.teardown();
        await mock.close();
      }
      expect(stale).toEqual([]);
    },
    60_000,
  );
});

/**
 * The same promise told as the mutations that matter, for each protocol whose reads are kept: a read, a
 * change through a method, the read again showing the change (the first read kept its answer, so a kept
 * answer that outlived the change would show the old state). Then a reset through the control endpoint.
 */
async function scenario(
  id: string,
  identity: string,
  run: (call: (method: string, params: object) => Promise<any>) => Promise<void>,
  after: (call: (method: string, params: object) => Promise<any>) => Promise<void>,
) {
  const { mock, context } = await startCheckedMock(id, { runId: 'kept' });
  const contexts: RunContext[] = [];
  const caller = () => {
    const ctx = context(`s${contexts.length}`);
    contexts.push(ctx);
    return (method: string, params: object) => ctx.ok(method, params, identity);
  };
  try {
    await run(caller());
    expect((await fetch(`${mock.controlUrl}/__accord/control/reset`, { method: 'POST' })).status).toBe(200);
    // A new run after the reset: the old one's sessions and tokens went with the state.
    await after(caller());
  } finally {
    for (const ctx of contexts) await ctx.teardown();
    await mock.close();
  }
}

describe('kept answers follow every change', () => {
  test('rhodecode: users, user groups, memberships, permission grants, reset', async () => {
    const x = 'accord_kept_x';
    const g = 'accord_kept_g';
    const names = async (call: (m: string, p: object) => Promise<any>) =>
      ((await call('get_users', {})) as { username: string }[]).map((u) => u.username);
    const members = async (call: (m: string, p: object) => Promise<any>) =>
      ((await call('get_user_group', { usergroupid: g })).users as { username: string }[]).map((u) => u.username);
    const listed = async (call: (m: string, p: object) => Promise<any>) =>
      (await call('get_user_groups', {})) as { group_name: string; users: { username: string }[] }[];
    const repoPerm = async (call: (m: string, p: object) => Promise<any>) =>
      (await call('get_user', { userid: x })).permissions.repositories['demo-repo'];
    await scenario(
      'rhodecode',
      'super-admin',
      async (call) => {
        expect(await names(call)).not.toContain(x);
        await call('create_user', { username: x, email: 'kept@example.com', firstname: 'Kept' });
        expect(await names(call)).toContain(x);

        expect((await call('get_user', { userid: x })).firstname).toBe('Kept');
        await call('update_user', { userid: x, firstname: 'Changed' });
        expect((await call('get_user', { userid: x })).firstname).toBe('Changed');
        expect(
          ((await call('get_users', {})) as { username: string; firstname: string }[]).find((u) => u.username === x)
            ?.firstname,
        ).toBe('Changed');

        expect((await listed(call)).map((l) => l.group_name)).not.toContain(g);
        await call('create_user_group', { group_name: g });
        expect((await listed(call)).map((l) => l.group_name)).toContain(g);
        expect(await members(call)).toEqual([]);
        await call('add_user_to_user_group', { usergroupid: g, userid: x });
        expect(await members(call)).toEqual([x]);
        expect((await listed(call)).find((l) => l.group_name === g)?.users.map((u) => u.username)).toEqual([x]);

        expect(await repoPerm(call)).toBe('repository.read');
        await call('grant_user_permission', { repoid: 'demo-repo', userid: x, perm: 'repository.write' });
        expect(await repoPerm(call)).toBe('repository.write');
        await call('revoke_user_permission', { repoid: 'demo-repo', userid: x });
        expect(await repoPerm(call)).toBe('repository.read');
        await call('grant_user_group_permission', { repoid: 'demo-repo', usergroupid: g, perm: 'repository.admin' });
        expect(await repoPerm(call)).toBe('repository.admin');
        await call('revoke_user_group_permission', { repoid: 'demo-repo', usergroupid: g });
        expect(await repoPerm(call)).toBe('repository.read');

        const groupPerm = async () => (await call('get_user', { userid: x })).permissions.user_groups[g];
        const rowOf = async () =>
          (
            (await call('get_user_group', { usergroupid: g })).permissions as { name: string; permission: string }[]
          ).find((r) => r.name === x);
        expect(await groupPerm()).toBe('usergroup.read');
        expect(await rowOf()).toBeUndefined();
        await call('grant_user_permission_to_user_group', { usergroupid: g, userid: x, perm: 'usergroup.admin' });
        expect(await groupPerm()).toBe('usergroup.admin');
        expect((await rowOf())?.permission).toBe('usergroup.admin');

        await call('remove_user_from_user_group', { usergroupid: g, userid: x });
        expect(await members(call)).toEqual([]);
        await call('update_user_group', { usergroupid: g, group_name: `${g}2` });
        expect((await listed(call)).map((l) => l.group_name)).toContain(`${g}2`);
        expect(Object.keys((await call('get_user', { userid: x })).permissions.user_groups)).toContain(`${g}2`);
        await call('delete_user_group', { usergroupid: `${g}2` });
        expect((await listed(call)).map((l) => l.group_name)).not.toContain(`${g}2`);
        expect(Object.keys((await call('get_user', { userid: x })).permissions.user_groups)).not.toContain(`${g}2`);

        await call('delete_user', { userid: x });
        expect(await names(call)).not.toContain(x);
        await call('create_user', { username: `${x}2`, email: 'kept2@example.com' });
        expect(await names(call)).toContain(`${x}2`);
      },
      async (call) => {
        expect(await names(call)).not.toContain(`${x}2`);
      },
    );
  }, 60_000);

  test('kanboard: users created, changed, disabled, removed, reset', async () => {
    const row = async (call: (m: string, p: object) => Promise<any>, name: string) =>
      ((await call('getAllUsers', {})) as { username: string; name: string; is_active: number | boolean }[]).find(
        (u) => u.username === name,
      );
    await scenario(
      'kanboard',
      'app-api',
      async (call) => {
        expect(await row(call, 'accord_kept_x')).toBeUndefined();
        const id = await call('createUser', { username: 'accord_kept_x', password: 'secret-123', name: 'Kept' });
        expect((await row(call, 'accord_kept_x'))?.name).toBe('Kept');
        await call('updateUser', { id, name: 'Changed' });
        expect((await row(call, 'accord_kept_x'))?.name).toBe('Changed');
        await call('disableUser', { user_id: id });
        expect(Number((await row(call, 'accord_kept_x'))?.is_active)).toBe(0);
        await call('enableUser', { user_id: id });
        expect(Number((await row(call, 'accord_kept_x'))?.is_active)).toBe(1);
        await call('removeUser', { user_id: id });
        expect(await row(call, 'accord_kept_x')).toBeUndefined();
        await call('createUser', { username: 'accord_kept_y', password: 'secret-123' });
        expect(await row(call, 'accord_kept_y')).toBeDefined();
      },
      async (call) => {
        expect(await row(call, 'accord_kept_y')).toBeUndefined();
      },
    );
  }, 60_000);

  test('octoprint: users, groups, their permissions, reset', async () => {
    const x = 'accord_kept_x';
    const g = 'accord_kept_g';
    const user = async (call: (m: string, p: object) => Promise<any>) =>
      (
        (await call('access.users.list', {})).users as { name: string; groups: string[]; needs: { role?: string[] } }[]
      ).find((u) => u.name === x);
    const group = async (call: (m: string, p: object) => Promise<any>) =>
      (
        (await call('access.groups.list', {})).groups as {
          key: string;
          permissions: string[];
          needs: { role?: string[] };
        }[]
      ).find((k) => k.key === g);
    await scenario(
      'octoprint',
      'admin',
      async (call) => {
        const permissions = await call('access.permissions.list', {});
        expect(await user(call)).toBeUndefined();
        await call('access.users.add', { name: x, password: 'kept-secret', active: true, groups: ['users'] });
        expect((await user(call))?.groups).toEqual(['users']);
        expect((await call('access.users.get', { name: x })).groups).toEqual(['users']);

        expect(await group(call)).toBeUndefined();
        await call('access.groups.add', { key: g, name: 'Kept', permissions: ['STATUS'], subgroups: [] });
        expect((await group(call))?.permissions).toEqual(['STATUS']);
        expect((await call('access.groups.get', { key: g })).permissions).toEqual(['STATUS']);

        const roles = async () => (await call('access.users.get', { name: x })).needs.role as string[];
        // A permission the user does not hold yet, through a role of its own.
        const held = await roles();
        const extra = (permissions.permissions as { key: string; needs: { role: string[] } }[]).find(
          (p) => p.needs.role.length > 0 && p.needs.role.every((r) => !held.includes(r)),
        )!;
        const role = extra.needs.role[0]!;
        await call('access.users.update', { name: x, groups: ['users', g] });
        expect((await user(call))?.groups).toEqual(['users', g]);
        expect(await roles()).not.toContain(role);
        await call('access.groups.update', { key: g, permissions: ['STATUS', extra.key] });
        expect((await call('access.groups.get', { key: g })).permissions).toEqual(['STATUS', extra.key]);
        expect((await group(call))?.needs.role).toContain(role);
        // A user's effective permissions come from its groups: the group's change shows in the user's record.
        expect(await roles()).toContain(role);
        expect((await user(call))?.needs.role).toContain(role);

        await call('access.groups.delete', { key: g });
        expect(await group(call)).toBeUndefined();
        expect((await user(call))?.groups).toEqual(['users']);
        expect(await roles()).not.toContain(role);
        expect(await call('access.permissions.list', {})).toEqual(permissions);

        await call('access.users.delete', { name: x });
        expect(await user(call)).toBeUndefined();
        await call('access.users.add', { name: x, password: 'kept-secret', active: true });
      },
      async (call) => {
        expect(await user(call)).toBeUndefined();
      },
    );
  }, 60_000);

  test('nymea: users created, their scopes and info changed, removed, reset', async () => {
    const info = async (call: (m: string, p: object) => Promise<any>, name: string) =>
      ((await call('Users.GetUsers', {})).users as { username: string; scopes: string[]; displayName: string }[]).find(
        (u) => u.username === name,
      );
    const done = (reply: { error?: string }) => expect(reply.error).toBe('UserErrorNoError');
    await scenario(
      'nymea',
      'admin',
      async (call) => {
        expect(await info(call, 'accord_kept_x')).toBeUndefined();
        done(await call('Users.CreateUser', { username: 'accord_kept_x', password: 'Kept-Pw-2024', scopes: [] }));
        expect((await info(call, 'accord_kept_x'))?.scopes).toEqual([]);
        done(
          await call('Users.SetUserScopes', { username: 'accord_kept_x', scopes: ['PermissionScopeControlThings'] }),
        );
        expect((await info(call, 'accord_kept_x'))?.scopes).toEqual(['PermissionScopeControlThings']);
        done(await call('Users.SetUserInfo', { username: 'accord_kept_x', displayName: 'Changed' }));
        expect((await info(call, 'accord_kept_x'))?.displayName).toBe('Changed');
        done(await call('Users.RemoveUser', { username: 'accord_kept_x' }));
        expect(await info(call, 'accord_kept_x')).toBeUndefined();
        done(await call('Users.CreateUser', { username: 'accord_kept_y', password: 'Kept-Pw-2024', scopes: [] }));
        expect(await info(call, 'accord_kept_y')).toBeDefined();
      },
      async (call) => {
        expect(await info(call, 'accord_kept_y')).toBeUndefined();
      },
    );
  }, 60_000);
});

test('octoprint: a kept user record sent alone is indented as jsonify writes it, not as inside the list', async () => {
  const mock = await startMock('octoprint', { dialect: checkedMockDialect('octoprint') });
  try {
    const key = String((mock.dialect.given as Record<string, unknown>)['adminKey']);
    const get = async (path: string) => (await fetch(`${mock.url}${path}`, { headers: { 'x-api-key': key } })).text();
    await get('/api/access/users');
    for (let i = 0; i < 2; i++) {
      const body = await get('/api/access/users/admin');
      expect(body).toBe(`${dumpPythonJson(JSON.parse(body), { indent: 2 })}\n`);
    }
  } finally {
    await mock.close();
  }
});
