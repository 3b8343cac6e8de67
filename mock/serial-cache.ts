/**
 * Serialised records kept between requests: a record is written in its protocol's JSON dialect once per
 * change, and lists are joined from the kept pieces. Each piece is kept with a stamp of what it was made
 * from; a different stamp makes it again. The stamp is taken from the data itself, so no mutation path (a
 * handler, a fault, the control endpoint) can leave a stale piece behind by forgetting to announce its change:
 * either the data's own content (`stampOf`, for state that is changed in place), or the versions of the
 * tables it was read from (`versionsOf`: mock/directory.ts moves a table's version on every write through it).
 * A reset makes a new dialect, hence new state and new caches.
 */
import { writeClock } from './directory.js';

let generation = 0;
let asked = 0;

/** Every cache forgets what it kept (tests compare a kept answer with one made afresh). */
export function forgetAllPieces(): void {
  generation++;
}

/** How many pieces were asked of any cache so far: a test tells by it which answers are made of kept pieces. */
export function piecesAsked(): number {
  return asked;
}

interface Piece<V> {
  readonly stamp: string;
  readonly generation: number;
  readonly text: V;
  /** The write clock when the stamp was last found current (textUnlessWritten). */
  checkedAt: number;
}

export class SerialCache<K, V = string> {
  readonly #pieces = new Map<K, Piece<V>>();

  /** The kept text of `id` if it was made from `stamp`; otherwise `make()`, kept. */
  text(id: K, stamp: string, make: () => V): V {
    asked++;
    const kept = this.#pieces.get(id);
    if (kept !== undefined && kept.stamp === stamp && kept.generation === generation) return kept.text;
    const text = make();
    this.#pieces.set(id, { stamp, generation, text, checkedAt: writeClock() });
    return text;
  }

  /**
   * As text(), for a stamp made only of table versions (versionsOf, versionOf): while no table anywhere was
   * written since the piece was last found current, no version can have moved, and the stamp is not taken.
   */
  textUnlessWritten(id: K, stamp: () => string, make: () => V): V {
    const kept = this.#pieces.get(id);
    const now = writeClock();
    if (kept !== undefined && kept.checkedAt === now && kept.generation === generation) {
      asked++;
      return kept.text;
    }
    const text = this.text(id, stamp(), make);
    this.#pieces.get(id)!.checkedAt = now;
    return text;
  }

  /** Forget pieces of records that are gone, once they outnumber the live ones (deletes leave them behind). */
  prune(liveCount: number, isLive: (id: K) => boolean): void {
    if (this.#pieces.size <= liveCount * 2 + 16) return;
    for (const id of this.#pieces.keys()) if (!isLive(id)) this.#pieces.delete(id);
  }
}

/** A number that moves whenever a stamped value changes: one compare per request for shared dependencies. */
export class StampVersion {
  #stamp: string | undefined;
  #version = 0;

  of(stamp: string): number {
    if (stamp !== this.#stamp) {
      this.#stamp = stamp;
      this.#version++;
    }
    return this.#version;
  }
}

/** Anything whose version moves on each change to it: a table or relation of mock/directory.ts. */
export interface Versioned {
  readonly version: number;
}

/** A stamp of the versions of the tables an answer was read from: O(1) per table, whatever their size. */
export function versionsOf(...sources: readonly Versioned[]): string {
  let stamp = '';
  for (const s of sources) stamp += `${s.version}.`;
  return stamp;
}

/**
 * A stamp of plain data: its JSON, with the numbers JSON has no form for told apart (NaN and Infinity
 * would both be null, yet a Python-dialect record writes them differently).
 */
export function stampOf(value: unknown): string {
  // A replacer takes JSON.stringify off its fast path (it cost more than the rest of a kept list): only
  // data that holds such a number is written with one.
  if (!holdsNonFinite(value)) return JSON.stringify(value) ?? 'undefined';
  return (
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `\u0000${v}` : v)) ??
    'undefined'
  );
}

function holdsNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (typeof value !== 'object' || value === null) return false;
  const values = Array.isArray(value) ? value : Object.values(value);
  for (let i = 0; i < values.length; i++) if (holdsNonFinite(values[i])) return true;
  return false;
}
