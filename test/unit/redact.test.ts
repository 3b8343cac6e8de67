import { describe, expect, test } from 'vitest';
import { redactorFor, weakSecretNotice } from '../../src/report/redact.js';
import { protocols } from '../../src/protocols/index.js';
import type { TargetConfig } from '../../src/client/target.js';
import { base64FromUtf8 } from '../../src/wire/text.js';

const STRONG_TOKEN = 'Tk9-strong_App.Token/42+xyz';
const STRONG_PASSWORD = 'Pw"7\\str0ng pass';

const live = (protocol: string, given: Record<string, unknown>): TargetConfig => ({
  name: protocol,
  protocol,
  url: 'http://127.0.0.1:1',
  mock: false,
  given,
});
const kanboard = (password: string) =>
  redactorFor(live('kanboard', { appToken: STRONG_TOKEN, admin: { username: 'admin', password } }));

describe('redaction by position', () => {
  test('credential headers in any casing lose their value and keep the scheme', () => {
    const r = kanboard('admin');
    const text = [
      `authorization: Basic ${base64FromUtf8('admin:admin')}`,
      `Authorization: Basic ${base64FromUtf8('someone:else-entirely')}`,
      `AUTHORIZATION: Bearer ${STRONG_TOKEN}`,
      `X-API-Auth: ${base64FromUtf8(`jsonrpc:${STRONG_TOKEN}`)}`,
      `curl -H 'x-api-auth: c29tZTpvdGhlcg=='`,
    ].join('\n');
    expect(r(text)).toBe(
      [
        'authorization: Basic <--admin>',
        'Authorization: Basic <redacted>',
        'AUTHORIZATION: Bearer <--app-token>',
        'X-API-Auth: <--app-token>',
        `curl -H 'x-api-auth: <redacted>'`,
      ].join('\n'),
    );
  });

  test('a header value runs to the end of its line, or of its quoted curl argument', () => {
    const r = redactorFor(live('octoprint', {}));
    expect(r(`x-api-key: a"b\\c d'e\ncurl -H 'X-Api-Key: a"b\\c d'\\''e' -H 'x: y'`)).toBe(
      `x-api-key: <redacted>\ncurl -H 'X-Api-Key: <redacted>' -H 'x: y'`,
    );
  });

  test('cookie values go, their names and attributes stay', () => {
    const r = redactorFor(live('octoprint', { adminKey: 'A'.repeat(32) }));
    expect(
      r(
        'cookie: session_P80=abc.def; csrf_token_P80=xyz\nset-cookie: remember_token_P80=q|w; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/, session_P80=z; HttpOnly',
      ),
    ).toBe(
      'cookie: session_P80=<redacted>; csrf_token_P80=<redacted>\nset-cookie: remember_token_P80=<redacted>; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/, session_P80=<redacted>; HttpOnly',
    );
  });

  test('declared fields lose their value in JSON, JSON inside a string, lists, Python repr, queries and forms', () => {
    const r = redactorFor(live('rhodecode', { adminToken: 'f'.repeat(40) }));
    expect(
      r(
        '{"auth_token":"abc","args":{"password":"p\\"w"},"auth_tokens":["t1","t2"],"api_key":"****","api_keys":[],"x":null}',
      ),
    ).toBe(
      '{"auth_token":"<redacted>","args":{"password":"<redacted>"},"auth_tokens":["<redacted>","<redacted>"],"api_key":"****","api_keys":[],"x":null}',
    );
    expect(r('"{\\"auth_token\\": \\"abc\\"}"')).toBe('"{\\"auth_token\\": \\"<redacted>\\"}"');
    expect(r("{'auth_token': 'abc', 'id': 1}")).toBe("{'auth_token': '<redacted>', 'id': 1}");
    const o = redactorFor(live('octoprint', { adminKey: 'A'.repeat(32) }));
    expect(o('GET /api/access/users?apikey=abc&x=1 and user=jo&pass=pw1&remember=true http://jo:pw@host/')).toBe(
      'GET /api/access/users?apikey=<redacted>&x=1 and user=jo&pass=<redacted>&remember=true http://jo:<redacted>@host/',
    );
    const n = redactorFor(live('nymea', { admin: { username: 'admin', password: 'Secret123' } }));
    expect(
      n(
        '{"id":1,"token":"abc","method":"JSONRPC.Authenticate","params":{"username":"admin","password":"Secret123","newPassword":"x"}}',
      ),
    ).toBe(
      '{"id":1,"token":"<redacted>","method":"JSONRPC.Authenticate","params":{"username":"admin","password":"<--admin>","newPassword":"<redacted>"}}',
    );
  });

  test('a field of another protocol, or a word like it, is left alone', () => {
    const r = redactorFor(live('kanboard', {}));
    expect(r('{"apikey":"k","key":"g","tokenId":"t","csrf_token":"c","is_admin":0}')).toBe(
      '{"apikey":"k","key":"g","tokenId":"t","csrf_token":"c","is_admin":0}',
    );
  });
});

describe('redaction of literal secrets', () => {
  test('a strong secret goes in every encoding, wherever it is', () => {
    const r = redactorFor(
      live('kanboard', { appToken: STRONG_TOKEN, admin: { username: 'boss', password: STRONG_PASSWORD } }),
    );
    const forms = [
      STRONG_TOKEN,
      encodeURIComponent(STRONG_TOKEN),
      STRONG_PASSWORD,
      JSON.stringify(STRONG_PASSWORD).slice(1, -1),
      encodeURIComponent(STRONG_PASSWORD),
      encodeURIComponent(STRONG_PASSWORD).replace(/%20/g, '+'),
      base64FromUtf8(`jsonrpc:${STRONG_TOKEN}`),
      base64FromUtf8(`boss:${STRONG_PASSWORD}`),
    ];
    const out = r(forms.map((f) => `free text ${f} here`).join('\n'));
    for (const f of forms) expect(out).not.toContain(f);
    expect(out.split('\n')).toEqual(
      [
        '<--app-token>',
        '<--app-token>',
        '<--admin>',
        '<--admin>',
        '<--admin>',
        '<--admin>',
        '<--app-token>',
        '<--admin>',
      ].map((m) => `free text ${m} here`),
    );
  });

  test('a secret cut short by a clipped message, or flattened onto one line, is still removed', () => {
    const r = redactorFor(live('octoprint', { adminKey: 'Zq7Vx-admin-key  with-two-spaces' }));
    expect(r('expected Zq7Vx-admin-k… (clipped)')).toBe('expected <--admin-key>… (clipped)');
    expect(r('got {"apikey":"Zq7V…')).toBe('got {"apikey":"<redacted>…');
    expect(r('flat Zq7Vx-admin-key with-two-spaces')).toBe('flat <--admin-key>');
    expect(r('an ordinary… ellipsis')).toBe('an ordinary… ellipsis');
    expect(redactorFor(live('rhodecode', {}))("{u'auth_token': u'abc'}")).toBe("{u'auth_token': u'<redacted>'}");
  });

  test('a weak secret is removed from positions only, so ordinary words stay', () => {
    const r = kanboard('admin');
    const text = `authorization: Basic ${base64FromUtf8('admin:admin')}\n\n{"username":"admin","password":"admin","is_admin":0,"role":"app-admin"} app-admin may call`;
    expect(r(text)).toBe(
      'authorization: Basic <--admin>\n\n{"username":"admin","password":"<--admin>","is_admin":0,"role":"app-admin"} app-admin may call',
    );
  });

  test('markers are never redacted again', () => {
    const r = kanboard('admin');
    const once = r(
      `Basic ${base64FromUtf8('admin:admin')} authorization: Basic ${base64FromUtf8('admin:admin')} ${STRONG_TOKEN}`,
    );
    expect(r(once)).toBe(once);
    expect(once).not.toMatch(/<--<--|<<--/);
    const secretLikeMarker = redactorFor(live('octoprint', { adminKey: '<--admin-key>x' }));
    expect(secretLikeMarker('<--admin-key>x')).toBe('<--admin-key>');
  });

  test('weak secrets are named once, strong ones not at all', () => {
    expect(
      weakSecretNotice([
        live('kanboard', {
          appToken: STRONG_TOKEN,
          admin: { username: 'admin', password: 'admin' },
          user: { username: 'u', password: 'password' },
        }),
      ]),
    ).toMatch(/^accord: the secret of --admin, --user is too short or too common to redact in free text/);
    expect(
      weakSecretNotice([
        live('kanboard', { appToken: STRONG_TOKEN, admin: { username: 'admin', password: STRONG_PASSWORD } }),
      ]),
    ).toBeUndefined();
    expect(weakSecretNotice([live('octoprint', { adminKey: 'short' })])).toMatch(/--admin-key/);
  });
});

describe('mock targets', () => {
  test('a mock keeps its own credentials, and loses those the user gave it', () => {
    const own = { appToken: 'mock-own-token-123456', admin: { username: 'admin', password: 'admin' } };
    const text = `authorization: Basic ${base64FromUtf8('jsonrpc:mock-own-token-123456')} mock-own-token-123456`;
    expect(redactorFor({ ...live('kanboard', own), mock: true })(text)).toBe(text);
    const gave = redactorFor({
      ...live('kanboard', { ...own, appToken: STRONG_TOKEN }),
      mock: true,
      givenByUser: { appToken: STRONG_TOKEN },
    });
    expect(gave(`x ${STRONG_TOKEN} y\nauthorization: Basic abc`)).toBe(
      'x <--app-token> y\nauthorization: Basic <redacted>',
    );
  });
});

describe.each(Object.values(protocols))('every credential position $id declares', (protocol) => {
  const planted = 'Planted-9x"y\\z';
  const json = JSON.stringify(planted).slice(1, -1);
  const r = redactorFor(live(protocol.id, {}));
  const { headers, fields } = protocol.credentialPositions;

  test.each(fields)(
    'field %s: in a request and a reply, as a string and a list, in JSON, a query and a curl line',
    (field) => {
      const texts = [
        `POST /x HTTP/1.1\ncontent-type: application/json\n\n{"id":1,"params":{"${field}":"${json}"}}`,
        `HTTP/1.1 200 OK\n\n{"result":[{"name":"u","${field}":["${json}","${json}"]}]}`,
        `{"id":2,"${field}":"${json}","method":"M"}`,
        `GET /api/x?${field}=${encodeURIComponent(planted)}&y=1 HTTP/1.1`,
        `curl -X POST 'http://h/x' --data-binary '{"${field}": "${json.replace(/'/g, `'\\''`)}"}'`,
      ];
      for (const text of texts) {
        const out = r(text);
        expect(out).not.toContain('Planted');
        expect(out).toContain('<redacted>');
      }
    },
  );

  test.each([...headers, 'authorization', 'Authorization', 'cookie', 'set-cookie'])(
    'header %s: in the message and in its curl line',
    (header) => {
      const value = /cookie/i.test(header)
        ? `sid=${planted}`
        : /authorization/i.test(header)
          ? `Bearer ${planted}`
          : planted;
      for (const text of [
        `GET / HTTP/1.1\n${header}: ${value}\nx: y`,
        `curl -H '${header}: ${value.replace(/'/g, `'\\''`)}' 'http://h/'`,
      ]) {
        expect(r(text)).not.toContain('Planted');
        expect(r(text)).toContain('<redacted>');
      }
    },
  );
});
