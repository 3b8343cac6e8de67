import { failure, frame, qtToInt } from '../../../src/wire/nymea.js';
import type { StreamConnection, StreamPeer } from '../../dialect.js';
import type { Connection } from './connection.js';
import type { NymeaCore } from './core.js';
import { firstMessage } from './router.js';

/**
 * One client connection from accept to close, as nymead 1.15 runs it: the transport router holds it until
 * its first message selects a protocol (router.ts), then hands it on. The JSON-RPC server only meets the
 * client then: so a lockdown closes a new connection when its first Hello arrives, not at connect, and
 * the JSON-RPC server's own handshake timer starts at routing (nymea.md §4).
 */
export function routedConnection(core: NymeaCore, peer: StreamPeer, transport: 'tcp' | 'ws'): StreamConnection {
  let buffer = '';
  let open = true;
  let routed: Connection | undefined;
  const log = (why: string) => core.options.log?.(`nymea: transport router: ${why}; closing the connection`);
  const close = () => {
    open = false;
    clearTimeout(timer);
    peer.close(1000);
  };
  const limit = core.stages.handshakeLimitMs();
  const timer =
    limit === undefined
      ? undefined
      : setTimeout(() => open && !routed && (log('no protocol selected in time'), close()), limit);

  const receive = (text: string): void => {
    if (!open) return;
    if (routed) return core.receive(routed, text);
    buffer += text;
    const first = firstMessage(buffer, text);
    if (first.kind === 'wait') return;
    if (first.kind === 'close') return (log(first.why), close());
    const protocol = core.stages.selectProtocol(first.method);
    if (protocol === undefined) return (log(`unsupported initial method "${first.method}"`), close());
    clearTimeout(timer);
    buffer = '';
    if (protocol === 'transfer') return refuseTransfer(first.value, peer, close);
    const conn = core.connect(peer, transport);
    // A lockdown: the JSON-RPC server drops the client it is handed, without a word.
    if (!conn) return close();
    routed = conn;
    core.receive(conn, first.first);
    if (first.rest !== '' && conn.open) core.receive(conn, first.rest);
  };

  return {
    receive,
    closed: () => {
      open = false;
      clearTimeout(timer);
      if (routed) core.gone(routed);
    },
  };
}

/** The mock holds no transfers: every Transfer.Connect is answered as one with an unknown token, then closed. */
function refuseTransfer(message: unknown, peer: StreamPeer, close: () => void): void {
  const id = qtToInt((message as Record<string, unknown>)['id']) ?? 0;
  peer.send(frame(failure(id, 'Invalid transfer token')));
  close();
}
