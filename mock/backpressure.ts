/**
 * What keeps the mock's memory bounded under load without turning anyone away: a request waits for its
 * turn instead of being reset. Two budgets per listener:
 * - answers in flight, counted in bytes: an answer counts from the moment its request is let in until Node
 *   has handed its last byte to the kernel. A request is let in while the answers in flight plus the ones
 *   being built (each expected as large as the answers lately sent) fit the byte budget, and fewer than a
 *   count of answers are in flight; the others wait, first come first served, with their connection open.
 *   One answer always goes, however large;
 * - request bytes held: bodies read but not yet answered; past the budget, reading stops (TCP pushes back
 *   on the client) until answers free it.
 * Memory is then about the answer budget (or one answer, when it alone is larger) + the body budget,
 * whatever the number of connections or the size of the state.
 */
export const DEFAULT_MAX_RESPONSE_BYTES_IN_FLIGHT = 32 * 1024 * 1024;
export const DEFAULT_MAX_RESPONSES_IN_FLIGHT = 32;
export const DEFAULT_MAX_HELD_BODY_BYTES = 64 * 1024 * 1024;

/** One admitted answer: say how large it came out once built, give it back once it left the process. */
export interface AnswerTicket {
  built(size: number): void;
  /** Only the first call counts. */
  release(): void;
}

/**
 * Answers in flight, budgeted in size (string length: the bytes a body takes in memory, near enough) and in
 * number. An answer's size is known only once built, so a request waiting at the door is weighed by the
 * answers lately built (a decaying maximum: a state that grew by one user weighs as much as before).
 */
export class AnswerBudget {
  #bytes = 0;
  #building = 0;
  #admitted = 0;
  /** Unknown until an answer was built: till then, one request at a time. */
  #expected: number | undefined;
  readonly #waiting: ((ticket: AnswerTicket) => void)[] = [];

  constructor(
    readonly maxBytes: number,
    readonly maxCount: number,
  ) {}

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Bytes of built answers not yet handed to the kernel. */
  get bytesInFlight(): number {
    return this.#bytes;
  }

  acquire(start: (ticket: AnswerTicket) => void): void {
    if (this.#waiting.length === 0 && this.#fits()) this.#admit(start);
    else this.#waiting.push(start);
  }

  #fits(): boolean {
    if (this.#admitted === 0) return true;
    if (this.#expected === undefined) return false;
    return this.#admitted < this.maxCount && this.#bytes + (this.#building + 1) * this.#expected <= this.maxBytes;
  }

  #admit(start: (ticket: AnswerTicket) => void): void {
    this.#admitted++;
    this.#building++;
    let size = 0;
    let building = true;
    let released = false;
    start({
      built: (bytes) => {
        if (!building || released) return;
        building = false;
        this.#building--;
        size = bytes;
        this.#bytes += size;
        this.#expected = Math.max(size, (this.#expected ?? 0) * 0.75);
        // It may have come out smaller than expected: room for the next ones.
        this.#next();
      },
      release: () => {
        if (released) return;
        released = true;
        this.#admitted--;
        if (building) this.#building--;
        this.#bytes -= size;
        this.#next();
      },
    });
  }

  #next(): void {
    while (this.#waiting.length > 0 && this.#fits()) this.#admit(this.#waiting.shift()!);
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
    if (this.#held > this.limit || this.#paused.size === 0) return;
    const paused = [...this.#paused];
    this.#paused.clear();
    for (const resume of paused) resume();
  }

  /** A reader that went away (its connection closed) no longer waits. */
  forget(resume: () => void): void {
    this.#paused.delete(resume);
  }
}
