import type { TargetConfig } from '../client/target.js';
import type { ProtocolSpec } from '../spec/protocol.js';
import type { SuitePlan } from './declare.js';

/** Suites at once against one server when its protocol says nothing and the user neither. */
export const DEFAULT_CONCURRENCY = 4;

/** One server's suites and how many of them may run at once. */
export interface ServerQueue {
  readonly server: string;
  readonly concurrency: number;
  readonly suites: readonly SuitePlan[];
}

/** Endpoints of one server (nymea's TCP and WebSocket on one mock) name it alike; else each target is one. */
export function serverOf(target: TargetConfig): string {
  return target.server ?? target.name;
}

/**
 * Group the suites by server. Each server runs as many at once as its protocol tolerates (`concurrency`:
 * nymea's lockdown is server-wide, OctoPrint loses concurrent writes), or as `--concurrency N` says.
 */
export function queuesOf(suites: readonly SuitePlan[], override?: number): ServerQueue[] {
  const byServer = new Map<string, SuitePlan[]>();
  for (const s of suites) byServer.set(serverOf(s.target), [...(byServer.get(serverOf(s.target)) ?? []), s]);
  return [...byServer].map(([server, mine]) => {
    const declared = Math.min(...mine.map((s) => concurrencyOf(s.protocol)));
    // Longest first: the last suite to start is then a short one.
    const longestFirst = [...mine].sort((a, b) => b.checks.length - a.checks.length);
    return { server, concurrency: override ?? declared, suites: longestFirst };
  });
}

export function concurrencyOf(protocol: ProtocolSpec<unknown, unknown>): number {
  return protocol.concurrency ?? DEFAULT_CONCURRENCY;
}

/**
 * Suites at once over the whole run: the smallest concurrency of its servers (or `--concurrency N`). The
 * checks and the embedded mocks share one process, and suites of other servers beside a fragile one
 * would keep its event loop busy past the mocks' short timers (nymea's 20 ms lockdown).
 */
export function runWideConcurrency(queues: readonly ServerQueue[], override?: number): number {
  return override ?? Math.min(DEFAULT_CONCURRENCY, ...queues.map((q) => q.concurrency));
}

/** At most `size` holders at once; the others wait their turn, first come first served. */
export class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async hold<T>(work: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    }
  }
}

/** Run `work` over the items with at most `limit` under way at once; settles when all have. */
export async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
