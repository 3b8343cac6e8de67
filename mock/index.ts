/** The mock as a library: start servers, build dialects, list faults. */
export { startMock, MOCK_HOST, type MockServer, type MockServerOptions } from './server.js';
export { createDialect, DIALECTS } from './dialects/index.js';
export { faultsOf } from './faults/index.js';
export type { Dialect, HttpDialect, StreamDialect, DialectOptions } from './dialect.js';
