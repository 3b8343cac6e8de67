/**
 * nymea's lockdown (nymea.md §4): after a failed login, a bad-token Hello, or any `unauthorized` reply, the
 * server closes every new connection for 3 s, server-wide, and drops a client that fails again meanwhile.
 * A polite client waits it out before it connects, logs in, or says Hello with a token it has not seen
 * work. This clock remembers, per host, when this process last saw the server start or restart one.
 */
const lastStart = new Map<string, number>();

/** A live nymea's lockdown is 3 s; wait a little longer. */
export const LIVE_LOCKDOWN_MS = 3500;
/** When the length is given (the embedded mock says its own; `--lockdown-ms` for a live server), a margin covers timer jitter. */
const MARGIN_MS = 5;

export function lockdownMsOf(given: Readonly<Record<string, unknown>> | undefined): number {
  const raw = given?.['lockdownMs'];
  const configured = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(configured) && configured >= 0 ? configured + MARGIN_MS : LIVE_LOCKDOWN_MS;
}

export function noteLockdown(host: string): void {
  lastStart.set(host, Date.now());
}

/** Resolves once no lockdown this process knows of is running (one that restarts meanwhile is waited out too). */
export async function lockdownPassed(host: string, lockdownMs: number): Promise<void> {
  for (;;) {
    const started = lastStart.get(host);
    const wait = started === undefined ? 0 : started + lockdownMs - Date.now();
    if (wait <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
