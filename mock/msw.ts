import { createDialect, type DialectOf, type MockProtocol, type OptionsOf } from './dialects/index.js';
import { handlersFor, type HandlerOptions, type MockHandlers } from './msw-handlers.js';

/**
 * msw handlers built from the same dialects as `accord serve`, with the same state semantics: each base
 * URL is its own instance with its own state. Works in Node (msw/node's setupServer) and in the browser
 * (msw/browser's setupWorker), since dialects use no Node-only modules.
 *
 *   const h = handlers('kanboard', { baseUrl: 'http://localhost:8080' });
 *   setupServer(...h).listen();
 *   h.instances[0].dialect.given  // the credentials it accepts
 *
 * Stream protocols (nymea) get WebSocket handlers (msw's `ws.link`), one instance per `url`:
 *
 *   const h = handlers('nymea', { url: 'ws://nymea.local:4444', dialect: { admin: 'admin:Secret123' } });
 */
export {
  handlersFor,
  toRequestData,
  type HandlerOptions,
  type MockHandlers,
  type MockInstance,
} from './msw-handlers.js';

export type { MockProtocol, OptionsOf, GivenOf, DialectOf } from './dialects/index.js';

/**
 * Typed by protocol: `handlers('kanbord', …)` and `{ dialect: { appTokn: 'x' } }` do not compile, and
 * `instances[0].dialect.given` has the protocol's credentials. A misspelt option given from plain
 * JavaScript is refused at run time (DialectOptionError) too.
 */
export function handlers<P extends MockProtocol>(
  protocol: P,
  options: HandlerOptions<OptionsOf<P>>,
): MockHandlers<DialectOf<P>> {
  return handlersFor((dialectOptions) => createDialect(protocol, dialectOptions), options);
}
