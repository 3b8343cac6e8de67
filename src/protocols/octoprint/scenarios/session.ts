import { facet } from '../../../spec/expectation.js';
import { formOfEra } from '../variants.js';
import type { ScenarioSpec } from '../../../spec/protocol.js';
import type { Exchange } from '../../../spec/session.js';
import { bodySatisfies, status } from '../../../wire/rest.js';
import { CSRF_FAILED, REAUTH_TEXT } from '../access.js';
import type { RawRestRequest } from '../binding.js';
import { atQuirk, entryOf, fails, fieldsAre, isRow } from '../define.js';
import { password, type OctoPrintWorld } from '../world.js';

/**
 * Credentials that are not recent (octoprint.md §2.2 step 3, §2.3, §7 "session mode"): only a browser
 * session can be in that state, API keys never are. The scenario logs in with a password and "remember
 * me", then presents only the remember-me cookie: OctoPrint loads the user with credentials never seen,
 * so lists hide API keys (1.10.3+) and writes ask to reauthenticate. Skipped when the target has no
 * session login (no CSRF cookie at GET /login, or no /api/login).
 */

type Cookies = Map<string, string>;

/** Set-Cookie headers as node joins them (`a=1; Path=/, b=2; HttpOnly`): name → value. */
export function cookiesOf(exchange: Exchange): Cookies {
  const jar: Cookies = new Map();
  const o = exchange.observed;
  const header = o.transport === 'http' ? o.headers['set-cookie'] : undefined;
  if (!header) return jar;
  // Split only at commas that start a new name=value pair (an Expires date has a comma too).
  for (const part of header.split(/,\s*(?=[A-Za-z0-9_.-]+=)/)) {
    const [pair] = part.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return jar;
}

const find = (jar: Cookies, prefix: string) => [...jar.entries()].find(([name]) => name.startsWith(prefix));
const cookieHeader = (...pairs: (readonly [string, string] | undefined)[]) =>
  pairs
    .filter((p): p is readonly [string, string] => p !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

export const sessionLoginScenario: ScenarioSpec<OctoPrintWorld> = {
  id: 'remember-me-is-not-recent',
  kind: 'lifecycle',
  method: 'access.users.list',
  says: 'a remember-me login does not count as recent: lists hide API keys and writes ask to reauthenticate',
  see: 'octoprint.md §2.2, §2.3, §4.3',
  async run(s) {
    const name = s.name('user');
    const pw = password();
    await s.check(
      'create an admin with a password',
      'access.users.add',
      { name, password: pw, active: true, groups: ['users', 'admins'], permissions: [] },
      [status(200)],
    );
    s.track('user', { id: name, name });
    const keyed = await s.check('give it a key', 'access.users.generateApiKey', { name }, [status(200)]);
    const apikey = keyed.ok && isRow(keyed.value) ? keyed.value['apikey'] : undefined;

    const browser = await s.open({ credentials: null });
    const send = (r: RawRestRequest) => browser.raw({ ...r, auth: 'none' });
    const page = await send({ verb: 'GET', path: '/login' });
    const csrf = find(cookiesOf(page), 'csrf_token');
    // Skipped, not failed: before 1.8.3 OctoPrint had no CSRF cookie and no session login to test.
    if (!csrf)
      return s.skip(
        'GET /login hands out no csrf_token cookie: the target has no browser session login to test (OctoPrint 1.8.3+ has)',
      );

    const login = await send({
      verb: 'POST',
      path: '/api/login',
      headers: { 'content-type': 'application/json', cookie: cookieHeader(csrf), 'x-csrf-token': csrf[1] },
      body: JSON.stringify({ user: name, pass: pw, remember: true }),
    });
    // Skipped, not failed: a target without the login endpoint has no browser sessions at all.
    if (login.observed.transport === 'http' && login.observed.status === 404)
      return s.skip('the target has no POST /api/login');
    s.expect('log in with remember me', login.observed, [status(200, 'quirk')], login);
    const jar = cookiesOf(login);
    const session = find(jar, 'session');
    const remember = find(jar, 'remember_token');
    // A login OctoPrint answered without its cookies is a finding, not a reason to skip; nothing after it can run.
    s.expect(
      'the login sets its cookies',
      login.observed,
      [
        facet('quirk', 'a session and a remember_token cookie', () =>
          session && remember ? null : `cookies set: ${[...jar.keys()].join(', ') || 'none'}`,
        ),
      ],
      login,
    );
    if (!session || !remember) return;

    const list = async (step: string, cookie: string, showsKey: boolean) => {
      const r = await send({ verb: 'GET', path: '/api/access/users', headers: { cookie } });
      s.expect(
        step,
        r.observed,
        [
          status(200, 'quirk'),
          bodySatisfies(
            'quirk',
            showsKey
              ? `${name}'s API key is shown (credentials seen just now)`
              : `${name}'s API key is null (credentials not recent, 1.10.3+)`,
            (b) => {
              const row = entryOf(b, 'users', 'name', name);
              return row ? fieldsAre(row, { apikey: showsKey ? apikey : null }) : `no ${name}`;
            },
          ),
        ],
        r,
      );
    };
    await list('list with the fresh session', cookieHeader(session, csrf), true);
    // Before 1.10.3 lists show every key whatever the credentials (variants.ts).
    await list(
      'list with only the remember-me cookie',
      cookieHeader(remember, csrf),
      !formOfEra(s.variant).hidesApikeys,
    );

    const write = async (cookie: string, withToken: boolean) => {
      const key = s.name('group');
      const r = await send({
        verb: 'POST',
        path: '/api/access/groups',
        headers: { 'content-type': 'application/json', cookie, ...(withToken ? { 'x-csrf-token': csrf[1] } : {}) },
        body: JSON.stringify({ key, name: key, permissions: [], subgroups: [] }),
      });
      // Tracked in case a server lets it through: teardown removes it (a 404 there is fine).
      s.track('group', { id: key, name: key });
      return r;
    };
    const stale = await write(cookieHeader(remember, csrf), true);
    // The recent-credentials check is 1.10's (octoprint.md §0): 1.8.3–1.9 let a remembered admin write.
    s.expect(
      'write with only the remember-me cookie',
      stale.observed,
      formOfEra(s.variant).recentCredentials ? atQuirk(fails(403, REAUTH_TEXT)) : [status(200, 'quirk')],
      stale,
    );
    const noToken = await write(cookieHeader(session, csrf), false);
    s.expect('write without the X-CSRF-Token header', noToken.observed, atQuirk(CSRF_FAILED), noToken);
  },
};
