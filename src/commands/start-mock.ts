import { startMock, type MockServer, type MockServerOptions } from '../../mock/server.js';
import { DialectOptionError } from '../../mock/dialect.js';
import { UnknownFaultError } from '../../mock/faults/index.js';
import { CliError } from './cli-error.js';

/** Start a mock for a command: a user's mistake (unknown fault, bad option, busy port) becomes a clear CliError. */
export async function startMockForCli(protocol: string, options: MockServerOptions): Promise<MockServer> {
  try {
    return await startMock(protocol, options);
  } catch (error) {
    if (error instanceof UnknownFaultError || error instanceof DialectOptionError) throw new CliError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    const asked = [options.port, options.wsPort, options.controlPort].filter((p) => p).join(', ');
    const host = options.host ?? '127.0.0.1';
    if (code === 'EADDRINUSE') throw new CliError(`a port is already in use on ${host} (${asked})`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new CliError(`cannot listen on --host ${host}: not an address of this machine (0.0.0.0 means all of them)`);
    }
    if (code === 'EACCES') throw new CliError(`not allowed to listen on port ${asked}`);
    throw error;
  }
}
