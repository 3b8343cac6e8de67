import { ControlError, type Dialect, type StreamPeer } from './dialect.js';

/**
 * A dialect that `POST /__accord/control/reset` puts back to its seed, on every protocol: the control
 * action makes a fresh dialect (`again`, which keeps the credentials the first one printed) and every
 * read of the wrapper falls through to the current one. Open stream connections are closed, as a
 * restarted server would close them. The dialect's own control actions (nymea's press-button) still work.
 */
export function resettable<D extends Dialect>(first: D, again: () => D): D {
  const peers = new Set<StreamPeer>();
  const wrapper = Object.create(first) as D & { control?: unknown; connect?: unknown };
  const current = () => Object.getPrototypeOf(wrapper) as D;
  wrapper.control = (action: string, body: unknown) => {
    if (action === 'reset') {
      for (const peer of [...peers]) peer.close(1001);
      peers.clear();
      Object.setPrototypeOf(wrapper, again());
      return 'reset to the seed';
    }
    const inner = current();
    if (!inner.control)
      throw new ControlError(`unknown control action "${action}"; the ${inner.protocol} mock has: reset`);
    return inner.control(action, body);
  };
  if (first.kind === 'stream') {
    wrapper.connect = (peer: StreamPeer, transport: 'tcp' | 'ws') => {
      const tracked: StreamPeer = {
        send: (text, message) => peer.send(text, message),
        close: (code) => {
          peers.delete(tracked);
          peer.close(code);
        },
      };
      const inner = current();
      if (inner.kind !== 'stream') return undefined;
      const connection = inner.connect(tracked, transport);
      if (!connection) return undefined;
      peers.add(tracked);
      return {
        receive: (text: string) => connection.receive(text),
        closed: () => {
          peers.delete(tracked);
          connection.closed();
        },
      };
    };
  }
  return wrapper;
}
