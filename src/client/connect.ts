import type { ClientBinding, ConnectOptions } from '../spec/protocol.js';
import type { Session } from '../spec/session.js';
import { httpSession } from './http-session.js';
import { StreamSession } from './stream-session.js';

/**
 * A session to `url` as `credentials`, over the transport the protocol's codec names: the one place a
 * session is opened (run context, scenarios, robustness tests).
 */
export async function connectSession<C, R>(
  binding: ClientBinding<C, R>,
  url: string,
  credentials: C,
  options: ConnectOptions,
): Promise<Session> {
  const codec = binding.codec;
  if (codec.transport === 'http') return httpSession(url, codec, credentials, options.timeoutMs);
  return codec.connect(url, credentials, options, (streamUrl, streamOptions) =>
    StreamSession.open(streamUrl, streamOptions),
  );
}
