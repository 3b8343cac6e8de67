import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { startMock, type MockServer } from '../../mock/server.js';
import { makeAChange } from './support.js';

/** The raw head of one answer: what node's fetch would hide (it undoes chunked framing). */
function rawHead(url: string, path: string): Promise<{ headers: http.IncomingHttpHeaders; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ headers: res.headers, bytes }));
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

const ENDPOINTS: Record<string, string> = {
  kanboard: '/jsonrpc.php',
  octoprint: '/api/access/users',
  'octoprint-1.3': '/api/users',
  rhodecode: '/_admin/api',
};

describe('HTTP answers are framed as the real servers frame them', () => {
  const mocks: MockServer[] = [];
  afterAll(() => Promise.all(mocks.map((m) => m.close())));

  for (const [protocol, path] of Object.entries(ENDPOINTS)) {
    it(`${protocol}: a Content-Length that counts the body's bytes, no chunked framing`, async () => {
      const mock = await startMock(protocol);
      mocks.push(mock);
      await makeAChange(protocol, mock.url, mock.dialect.given);
      const { headers, bytes } = await rawHead(mock.url, path);
      expect(headers['transfer-encoding']).toBeUndefined();
      expect(Number(headers['content-length'])).toBe(bytes);
      expect(bytes).toBeGreaterThan(0);
    });
  }
});
