import { Reframer } from '../../../src/wire/nymea.js';
import type { StreamPeer } from '../../dialect.js';

/** What the server keeps per client connection (nymea.md §4); all of it goes when the client does. */
export class Connection {
  readonly reframer = new Reframer();
  /** The connection token: set by Hello, Authenticate and a push-button login. */
  token = '';
  /** Hello has been said (the handshake timer is stopped). */
  handshaken = false;
  locale = 'en_US';
  /** Namespaces whose notifications this client wants; none until it asks (§7). */
  namespaces = new Set<string>();
  open = true;
  handshakeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly id: number,
    readonly transport: 'tcp' | 'ws',
    readonly peer: StreamPeer,
  ) {}

  stopHandshakeTimer(): void {
    if (this.handshakeTimer !== undefined) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = undefined;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.stopHandshakeTimer();
    this.peer.close(1000);
  }
}
