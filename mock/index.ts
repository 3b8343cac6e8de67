/** The mock as a library: start servers, build dialects, list faults. */
export { startMock, MOCK_HOST, type MockServer, type MockServerOptions } from './server.js';
export { createDialect, isMockProtocol, MOCK_PROTOCOLS } from './dialects/index.js';
export type { DialectOf, GivenOf, MockProtocol, MockProtocols, OptionsOf } from './dialects/index.js';
export { faultsOf } from './faults/index.js';
export type { Dialect, HttpDialect, StreamDialect, DialectOptions } from './dialect.js';
