import type { HttpRequestData } from '../../src/wire/http.js';

/** Read back a request rendered by renderRequest (fixtures keep their exchanges as text). */
export function parseHttpText(text: string): HttpRequestData {
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 2);
  const [first, ...lines] = head.split('\n');
  const [method, url] = (first ?? 'GET /').split(' ') as [string, string];
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { method, url, headers, body };
}
