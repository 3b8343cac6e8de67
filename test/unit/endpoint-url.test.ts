import { describe, expect, test } from 'vitest';
import { endpointOf, targetUrl } from '../../src/client/endpoint-url.js';
import { protocolById } from '../../src/protocols/index.js';

/** `--url` takes the base URL and the endpoint URL alike, as users copy them, for every protocol. */
const forms: [protocol: string, given: string[], base: string, endpoint: string][] = [
  [
    'kanboard',
    ['https://kb.example', 'https://kb.example/', 'https://kb.example/jsonrpc.php'],
    'https://kb.example',
    'https://kb.example/jsonrpc.php',
  ],
  [
    'kanboard',
    ['http://h:8080/kanboard/', 'http://h:8080/kanboard/jsonrpc.php'],
    'http://h:8080/kanboard',
    'http://h:8080/kanboard/jsonrpc.php',
  ],
  [
    'rhodecode',
    ['https://code.example', 'https://code.example/_admin/api', 'https://code.example/_admin/api/'],
    'https://code.example',
    'https://code.example/_admin/api',
  ],
  [
    'octoprint',
    ['http://octopi.local/', 'http://octopi.local/api', 'http://octopi.local/api/'],
    'http://octopi.local',
    'http://octopi.local/api',
  ],
  ['octoprint', ['http://h/octoprint/', 'http://h/octoprint/api'], 'http://h/octoprint', 'http://h/octoprint/api'],
  ['octoprint-1.3', ['http://old.local', 'http://old.local/api'], 'http://old.local', 'http://old.local/api'],
  [
    'nymea',
    ['tcp://192.168.1.20:2222', 'tcp://192.168.1.20:2222/'],
    'tcp://192.168.1.20:2222',
    'tcp://192.168.1.20:2222',
  ],
  ['nymea', ['ws://h:4444', 'ws://h:4444/'], 'ws://h:4444', 'ws://h:4444'],
  ['nymea', ['nymeas://h:2222'], 'nymeas://h:2222', 'nymeas://h:2222'],
];

describe('base and endpoint URLs name the same target', () => {
  test.each(forms)('%s %j', (id, given, base, endpoint) => {
    const spec = protocolById(id)!.endpoint;
    for (const url of given) {
      expect(targetUrl(url, spec), url).toEqual({ base, endpoint });
      expect(endpointOf(base, spec)).toBe(endpoint);
    }
  });

  test('a path that only ends like the endpoint keeps it', () => {
    expect(targetUrl('http://h/myapi', protocolById('octoprint')!.endpoint)).toEqual({
      base: 'http://h/myapi',
      endpoint: 'http://h/myapi/api',
    });
  });
});

describe('URLs no request could go to are refused, saying why', () => {
  const refused: [protocol: string, url: string, why: RegExp][] = [
    ['kanboard', 'not a url', /is not a URL/],
    ['kanboard', 'tcp://h:2222', /spoken over http:\/\/, https:\/\/, not tcp:\/\//],
    ['nymea', 'http://h:2222', /spoken over tcp:\/\/.*not http:\/\//],
    ['kanboard', 'https://admin:secret@h/jsonrpc.php', /user name or password/],
    ['rhodecode', 'https://h/_admin/api?x=1', /leave out the query/],
  ];
  test.each(refused)('%s %s', (id, url, why) => {
    const result = targetUrl(url, protocolById(id)!.endpoint);
    expect('problem' in result && result.problem).toMatch(why);
    expect(JSON.stringify(result)).not.toContain('secret');
  });
});
