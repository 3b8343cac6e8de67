import type { HttpRequestData, HttpResponseData } from '../src/wire/http.js';
import { json } from '../src/wire/http.js';
import { ControlError, type DialectInfo } from './dialect.js';
import type { Journal } from './journal.js';
import { journalPage } from './journal-page.js';

/**
 * The mock's own endpoints, outside any protocol, under /__accord/:
 * - `GET /__accord/state`: the state as JSON (safety tests compare it before and after a run);
 * - `GET /__accord/given`: the credentials it accepts, keyed like `accord check` flags (for scripts);
 * - `GET /__accord/memory`: the process's memory, collected first when node runs with --expose-gc;
 * - `GET /__accord/journal[?after=N]`: the requests it answered lately, with their diagnostics;
 * - `GET /__accord/`: a page showing the state and the journal, live;
 * - `POST /__accord/control/<action>`: `reset` (to the seed, every protocol), nymea's `press-button`...
 * A real server answers these paths with its usual 404.
 */
export const CONTROL_PREFIX = '/__accord/';

/** The mock process's memory, after a full garbage collection when node runs with --expose-gc. */
function memory(): Record<string, number | boolean> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const m = process.memoryUsage();
  return {
    collected: gc !== undefined,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    rss: m.rss,
    external: m.external,
  };
}

export function isControlRequest(url: string): boolean {
  return url.startsWith(CONTROL_PREFIX);
}

export function handleControl(dialect: DialectInfo, request: HttpRequestData, journal?: Journal): HttpResponseData {
  const [path = '', query = ''] = request.url.split('?');
  if (request.method === 'GET' && path === CONTROL_PREFIX) {
    return {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: journalPage(dialect.protocol),
    };
  }
  if (request.method === 'GET' && path === `${CONTROL_PREFIX}journal` && journal) {
    const after = Number(new URLSearchParams(query).get('after') ?? 0);
    return json(200, { limit: journal.limit, entries: journal.recent(Number.isFinite(after) ? after : 0) });
  }
  if (request.method === 'GET' && path === `${CONTROL_PREFIX}state`) return json(200, dialect.snapshot());
  if (request.method === 'GET' && path === `${CONTROL_PREFIX}memory`) return json(200, memory());
  if (request.method === 'GET' && path === `${CONTROL_PREFIX}given`) return json(200, dialect.given);
  const action = path.startsWith(`${CONTROL_PREFIX}control/`)
    ? path.slice(`${CONTROL_PREFIX}control/`.length)
    : undefined;
  if (request.method === 'POST' && action) {
    if (!dialect.control) return json(404, { error: `the ${dialect.protocol} mock has no control actions` });
    let body: unknown = null;
    try {
      body = request.body.trim() === '' ? null : JSON.parse(request.body);
    } catch {
      return json(400, { error: 'the control body is not JSON' });
    }
    try {
      return json(200, { result: dialect.control(action, body) ?? null });
    } catch (error) {
      if (error instanceof ControlError) return json(400, { error: error.message });
      throw error;
    }
  }
  return json(404, { error: `no such control endpoint: ${request.method} ${path}` });
}
