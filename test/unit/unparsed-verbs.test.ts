import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMock, type MockServer } from '../../mock/server.js';

/**
 * Requests node's HTTP parser never hands to a dialect: a CONNECT (node treats it as a tunnel) and a verb it
 * does not know. A dialect that declares `unparsedRequest` answers them as its real server does (OctoPrint:
 * Tornado's HTML 405); the others keep node's behaviour (CONNECT closed, an unknown verb a bare 400).
 */

const TORNADO_405 = '<html><title>405: Method Not Allowed</title><body>405: Method Not Allowed</body></html>';

/** Send raw bytes; resolve with everything the server sent before it closed (or 3 s passed). */
function raw(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    let got = '';
    socket.on('data', (c: Buffer) => (got += c.toString('utf8')));
    socket.on('close', () => resolve(got));
    socket.on('error', () => resolve(got));
    socket.setTimeout(3000, () => socket.destroy());
  });
}

describe('verbs node does not parse as requests', () => {
  const mocks: Record<string, MockServer> = {};
  beforeAll(async () => {
    for (const id of ['octoprint', 'kanboard']) mocks[id] = await startMock(id);
  });
  afterAll(async () => {
    for (const m of Object.values(mocks)) await m.close();
  });

  for (const request of [
    'CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    'FOO /api/access/permissions HTTP/1.1\r\nHost: x\r\n\r\n',
  ]) {
    const verb = request.split(' ')[0];
    test(`octoprint: ${verb} gets Tornado's HTML 405 page, without Allow`, async () => {
      const reply = await raw(mocks['octoprint']!.url, request);
      const [head, body] = reply.split('\r\n\r\n');
      expect(head?.split('\r\n')[0]).toBe('HTTP/1.1 405 Method Not Allowed');
      expect(head).toMatch(/\r\ncontent-type: text\/html; charset=UTF-8\r\n/i);
      expect(head).not.toMatch(/\r\nallow:/i);
      expect(body).toBe(TORNADO_405);
    });
  }

  test('octoprint: TRACE reaches the dialect, which answers the same page', async () => {
    const reply = await raw(
      mocks['octoprint']!.url,
      'TRACE /api/access/permissions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(reply.split('\r\n')[0]).toBe('HTTP/1.1 405 Method Not Allowed');
    expect(reply).toContain(TORNADO_405);
  });

  test('a dialect without unparsedRequest: CONNECT closed without a byte, FOO a bare 400', async () => {
    expect(await raw(mocks['kanboard']!.url, 'CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: x\r\n\r\n')).toBe('');
    expect(await raw(mocks['kanboard']!.url, 'FOO /jsonrpc.php HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(
      /^HTTP\/1\.1 400 Bad Request\r\n/,
    );
  });
});
