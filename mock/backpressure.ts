/**
 * What keeps the mock's memory bounded under load without turning anyone away: a request waits for its
 * turn instead of being reset. Two budgets per listener:
 * - responses in flight: a request is answered only while fewer than this many answers are being built or
 *   are still in the process's buffers (an answer leaves them when Node hands its last byte to the kernel);
 *   the others wait, first come first served, with their connection open;
 * - request bytes held: bodies read but not yet answered; past the budget, reading stops (TCP pushes back
 *   on the client) until answers free it.
 * Memory is then about (responses in flight × the largest answer) + the body budget, whatever the number
 * of connections.
 */
export const DEFAULT_MAX_RESPONSES_IN_FLIGHT = 32;
export const DEFAULT_MAX_HELD_BODY_BYTES = 64 * 1024 * 1024;

/** A counted set of slots; a caller waits in line for one. */
export class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    this.#free = Math.max(1, size);
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Calls `start` once a slot is free; `start` gets the function that gives it back (only the first call counts). */
  acquire(start: (release: () => void) => void): void {
    const go = () => {
      let released = false;
      start(() => {
        if (released) return;
        released = true;
        this.#next();
      });
    };
    if (this.#free > 0) {
      this.#free--;
      go();
    } else this.#waiting.push(go);
  }

  #next(): void {
    const go = this.#waiting.shift();
    if (go) go();
    else this.#free++;
  }
}

/** Bytes held across requests: a reader past the budget pauses until bytes are given back. */
export class ByteBudget {
  #held = 0;
  readonly #paused = new Set<() => void>();

  constructor(readonly limit: number) {}

  get held(): number {
    return this.#held;
  }

  /** Counts bytes just read; true when the reader must pause (it gets `resume` called later). */
  take(bytes: number, resume: () => void): boolean {
    this.#held += bytes;
    if (this.#held <= this.limit) return false;
    this.#paused.add(resume);
    return true;
  }

  give(bytes: number): void {
    this.#held -= bytes;
    if (this.#held > this.limit) return;
    const paused = [...this.#paused];
    this.#paused.clear();
    for (const resume of paused) resume();
  }

  /** A reader that went away (its connection closed) no longer waits. */
  forget(resume: () => void): void {
    this.#paused.delete(resume);
  }
}
