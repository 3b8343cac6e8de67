import http from 'node:http';
import https from 'node:https';
import { NOT_JSON, type HttpObserved } from '../spec/observed.js';
import type { Exchange } from '../spec/session.js';
import { describeTlsMismatch } from './tls-mismatch.js';
import { curlLine, renderRequest, renderResponse, STATUS_TEXT, type HttpRequestData } from '../wire/http.js';

/**
 * One HTTP exchange with a target, over node:http rather than fetch: the suites must be able to send what
 * fetch refuses (a GET with a body, a malformed Authorization header) and see the status line as sent.
 */
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

export interface HttpExchangeOptions {
  readonly timeoutMs: number;
}

export async function exchangeHttp(
  baseUrl: string,
  request: HttpRequestData,
  options: HttpExchangeOptions,
): Promise<Exchange> {
  const started = performance.now();
  // request.url is an absolute path; keep any base path of the target (a server mounted under a prefix).
  const base = new URL(baseUrl);
  const path = base.pathname.replace(/\/$/, '') + request.url;
  const secure = base.protocol === 'https:';
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== '' || !['GET', 'HEAD', 'DELETE'].includes(request.method))
    headers['content-length'] = String(Buffer.byteLength(request.body));
  const sent: HttpRequestData = { ...request, url: path };
  const reproduce = curlLine(`${base.protocol}//${base.host}`, sent);
  const requestText = renderRequest(sent);
  const attempt = () =>
    new Promise<HttpObserved>((resolve, reject) => {
      const req = (secure ? https : http).request(
        {
          host: base.hostname,
          port: base.port || (secure ? 443 : 80),
          method: request.method,
          path,
          headers,
          agent: secure ? agents.https : agents.http,
          timeout: options.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const flat: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers))
              if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
            resolve({
              transport: 'http',
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? STATUS_TEXT[res.statusCode ?? 0] ?? '',
              headers: flat,
              text,
              json: parseJson(text),
            });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
      // A kept-alive socket the server closed just as it was reused: the request never reached the server.
      req.on('error', (error: NodeJS.ErrnoException) =>
        reject(req.reusedSocket && error.code === 'ECONNRESET' ? new StaleSocket(error.message) : error),
      );
      req.end(request.body);
    });
  try {
    const observed = await attempt().catch((error: unknown) =>
      error instanceof StaleSocket ? attempt() : Promise.reject(error),
    );
    return {
      observed,
      request: requestText,
      response: renderResponse({ ...observed, body: observed.text }),
      reproduce,
      ms: performance.now() - started,
    };
  } catch (error) {
    const message = describeNetworkError(error, baseUrl);
    return {
      observed: { transport: 'none', error: message },
      request: requestText,
      response: `(no response: ${message})`,
      reproduce,
      ms: performance.now() - started,
    };
  }
}

/** Retried once: the only error after which sending the request again cannot do it twice (see Node's docs on reusedSocket). */
class StaleSocket extends Error {}

function parseJson(text: string): unknown {
  if (text.trim() === '') return NOT_JSON;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

export function describeNetworkError(error: unknown, url: string): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `connection refused (${url})`;
    case 'ENOTFOUND':
      return `host not found (${url})`;
    case 'ECONNRESET':
      return `connection reset by the server (${url})`;
    case 'EPIPE':
      return `connection closed by the server while sending (${url})`;
    default:
      return describeTlsMismatch(e, url) ?? (e.message || String(error));
  }
}
