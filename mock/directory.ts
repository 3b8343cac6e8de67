/**
 * The mock's in-memory state: tables of rows with O(1) lookups by id and by unique keys, and relations
 * (memberships, roles) indexed from both sides so that cascades never scan. Dialects declare their own
 * tables over these; the directory knows no protocol.
 */

export type IdPolicy =
  /** SQLite rowids without AUTOINCREMENT: max(id)+1, so the highest id is reused after a delete. */
  | 'max-plus-one'
  /** A counter that never goes back. */
  | 'counter';

/**
 * Versions are ticks of one clock for the whole process: no two writes anywhere share one, so an answer
 * kept under a table's version is never taken for another table's, or for another state's (a reset's).
 */
let clock = 0;
const tick = () => ++clock;
/** The clock's last tick: unchanged since a moment, nothing anywhere was written since (mock/serial-cache.ts). */
export const writeClock = (): number => clock;

export class Table<R extends { id: number }> {
  readonly #rows = new Map<number, R>();
  readonly #unique = new Map<keyof R, Map<unknown, number>>();
  readonly #derived = new Map<
    string,
    { readonly keysOf: (row: R) => readonly unknown[]; readonly ids: Map<unknown, Set<number>> }
  >();
  #counter = 0;
  /** Moves on every insert, update and delete: a stamp of the whole table (mock/serial-cache.ts). */
  #version = tick();
  /** Per row, the table's version when the row was last written: a stamp of one record. */
  readonly #written = new Map<number, number>();
  /** The highest id in the table, kept so that max-plus-one ids cost O(1) (recomputed only after its row goes). */
  #max = 0;
  #maxStale = false;

  constructor(
    readonly name: string,
    readonly options: { readonly ids: IdPolicy; readonly unique?: readonly (keyof R)[] },
  ) {
    for (const key of options.unique ?? []) this.#unique.set(key, new Map());
  }

  get size(): number {
    return this.#rows.size;
  }

  /**
   * A number that moves on every change to the table (insert, update, delete), whoever makes it: what an
   * answer made from the table is kept under. Rows are changed through `update`, never in place (they are frozen).
   */
  get version(): number {
    return this.#version;
  }

  /** A number that moves whenever this row is written (inserted or updated); undefined once it is gone. */
  versionOf(id: number): number | undefined {
    return this.#written.get(id);
  }

  get(id: number): R | undefined {
    return this.#rows.get(id);
  }

  /** Lookup by a unique key (exact match). */
  by<K extends keyof R>(key: K, value: R[K]): R | undefined {
    const index = this.#unique.get(key);
    if (!index) throw new Error(`${this.name}.${String(key)} is not a unique key`);
    const id = index.get(value);
    return id === undefined ? undefined : this.#rows.get(id);
  }

  /**
   * A non-unique index over values derived from each row (lower-cased emails, say), kept up to date by
   * insert, update and delete: `find` answers without a scan. Declare it before the first insert.
   */
  indexBy(name: string, keysOf: (row: R) => readonly unknown[]): this {
    this.#derived.set(name, { keysOf, ids: new Map() });
    return this;
  }

  /** The rows whose derived values (see indexBy) include this one. */
  find(name: string, value: unknown): R[] {
    const index = this.#derived.get(name);
    if (!index) throw new Error(`${this.name} has no index ${name}`);
    return [...(index.ids.get(value) ?? [])].map((id) => this.#rows.get(id) as R);
  }

  #indexDerived(row: R, add: boolean): void {
    for (const { keysOf, ids } of this.#derived.values()) {
      for (const key of keysOf(row)) {
        let set = ids.get(key);
        if (add) {
          if (!set) ids.set(key, (set = new Set()));
          set.add(row.id);
        } else if (set) {
          set.delete(row.id);
          if (set.size === 0) ids.delete(key);
        }
      }
    }
  }

  nextId(): number {
    if (this.options.ids === 'counter') return this.#counter + 1;
    if (this.#maxStale) {
      this.#max = 0;
      for (const id of this.#rows.keys()) if (id > this.#max) this.#max = id;
      this.#maxStale = false;
    }
    return this.#max + 1;
  }

  /** A failed insert that still used up its id (a PostgreSQL sequence): the next insert gets the one after. */
  consumeId(): number {
    const id = this.nextId();
    if (id > this.#counter) this.#counter = id;
    return id;
  }

  /** Insert a row; the caller has checked unique keys (a clash throws: it is a dialect bug, not input). */
  insert(row: Omit<R, 'id'> & { id?: number }): R {
    const { id: given, ...rest } = row;
    const id = given ?? this.nextId();
    // id first, as a database row would list it. Frozen: a row changes through update (which moves its
    // version), so a change made in place, which no version would show, fails loudly instead.
    const full = Object.freeze({ id, ...rest }) as unknown as R;
    for (const [key, index] of this.#unique) {
      if (index.has(full[key])) throw new Error(`${this.name}: duplicate ${String(key)} ${String(full[key])}`);
    }
    this.#rows.set(id, full);
    this.#written.set(id, (this.#version = tick()));
    for (const [key, index] of this.#unique) index.set(full[key], id);
    this.#indexDerived(full, true);
    if (id > this.#counter) this.#counter = id;
    if (!this.#maxStale && id > this.#max) this.#max = id;
    return full;
  }

  update(id: number, patch: Partial<Omit<R, 'id'>>): R | undefined {
    const old = this.#rows.get(id);
    if (!old) return undefined;
    const next = Object.freeze({ ...old, ...patch }) as R;
    for (const [key, index] of this.#unique) {
      if (next[key] !== old[key]) {
        const holder = index.get(next[key]);
        if (holder !== undefined && holder !== id)
          throw new Error(`${this.name}: duplicate ${String(key)} ${String(next[key])}`);
      }
    }
    for (const [key, index] of this.#unique) {
      index.delete(old[key]);
      index.set(next[key], id);
    }
    this.#indexDerived(old, false);
    this.#rows.set(id, next);
    this.#written.set(id, (this.#version = tick()));
    this.#indexDerived(next, true);
    return next;
  }

  delete(id: number): R | undefined {
    const old = this.#rows.get(id);
    if (!old) return undefined;
    this.#rows.delete(id);
    this.#written.delete(id);
    this.#version = tick();
    for (const [key, index] of this.#unique) index.delete(old[key]);
    this.#indexDerived(old, false);
    if (id === this.#max) this.#maxStale = true;
    return old;
  }

  all(): R[] {
    return [...this.#rows.values()];
  }

  snapshot(): R[] {
    return this.all().sort((a, b) => a.id - b.id);
  }
}

/** A row's value, copied and frozen all the way down: a change made in place, which no version would show, throws. */
export type Frozen<T> = T extends (infer E)[]
  ? readonly Frozen<E>[]
  : T extends readonly (infer E)[]
    ? readonly Frozen<E>[]
    : T extends object
      ? { readonly [P in keyof T]: Frozen<T[P]> }
      : T;

/** A frozen copy of plain data (JSON values, NaN and Infinity included); own keys stay own (even `__proto__`). */
export function frozenCopy<T>(value: T): Frozen<T> {
  if (typeof value !== 'object' || value === null) return value as Frozen<T>;
  if (Object.isFrozen(value) && isDeepFrozen(value)) return value as Frozen<T>;
  const copy = Array.isArray(value)
    ? value.map(frozenCopy)
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, frozenCopy(v)]));
  return Object.freeze(copy) as Frozen<T>;
}

/** Frozen, and so is everything it holds (a row's value given back to `set`, say): no copy needed. */
function isDeepFrozen(value: object): boolean {
  for (const v of Object.values(value))
    if (typeof v === 'object' && v !== null && !(Object.isFrozen(v) && isDeepFrozen(v))) return false;
  return true;
}

/**
 * Rows under keys of their own (a name, any value a Map tells apart) rather than numbered ids, in the order
 * they were first set (a Map's). Every row is a frozen copy, all the way down: a row changes through `set`
 * or `update`, which move its version and the table's; a change made in place throws.
 */
export class Keyed<K, R extends object> {
  readonly #rows = new Map<K, Frozen<R>>();
  /** Per row, the table's version when the row was last written. */
  readonly #written = new Map<K, number>();
  #version = tick();

  constructor(readonly name: string) {}

  get size(): number {
    return this.#rows.size;
  }

  /** A number that moves on every change to the table (a row set, updated or deleted). */
  get version(): number {
    return this.#version;
  }

  /** A number that moves whenever this row is written; undefined once it is gone. */
  versionOf(key: K): number | undefined {
    return this.#written.get(key);
  }

  get(key: K): Frozen<R> | undefined {
    return this.#rows.get(key);
  }

  has(key: K): boolean {
    return this.#rows.has(key);
  }

  keys(): IterableIterator<K> {
    return this.#rows.keys();
  }

  values(): IterableIterator<Frozen<R>> {
    return this.#rows.values();
  }

  /** Insert a row, or replace the one under `key` (which keeps its place in the order). */
  set(key: K, row: R | Frozen<R>): Frozen<R> {
    const full = frozenCopy(row) as Frozen<R>;
    this.#rows.set(key, full);
    this.#written.set(key, (this.#version = tick()));
    return full;
  }

  update(key: K, patch: Partial<R>): Frozen<R> | undefined {
    const old = this.#rows.get(key);
    return old === undefined ? undefined : this.set(key, { ...old, ...patch } as R);
  }

  delete(key: K): boolean {
    if (!this.#rows.delete(key)) return false;
    this.#written.delete(key);
    this.#version = tick();
    return true;
  }
}

/** Pairs (left, right) with a payload, indexed from both sides: memberships, roles. */
export class Relation<P = true> {
  readonly #pairs = new Map<string, { left: number; right: number; payload: P }>();
  readonly #byLeft = new Map<number, Set<number>>();
  readonly #byRight = new Map<number, Set<number>>();
  #version = tick();

  constructor(readonly name: string) {}

  get size(): number {
    return this.#pairs.size;
  }

  /** A number that moves on every change (a pair set, its payload changed, a pair deleted). */
  get version(): number {
    return this.#version;
  }

  has(left: number, right: number): boolean {
    return this.#pairs.has(`${left}:${right}`);
  }

  get(left: number, right: number): P | undefined {
    return this.#pairs.get(`${left}:${right}`)?.payload;
  }

  set(left: number, right: number, payload: P): void {
    this.#pairs.set(`${left}:${right}`, { left, right, payload });
    this.#version = tick();
    link(this.#byLeft, left, right);
    link(this.#byRight, right, left);
  }

  delete(left: number, right: number): boolean {
    if (!this.#pairs.delete(`${left}:${right}`)) return false;
    this.#version = tick();
    unlink(this.#byLeft, left, right);
    unlink(this.#byRight, right, left);
    return true;
  }

  rightsOf(left: number): number[] {
    return [...(this.#byLeft.get(left) ?? [])];
  }

  leftsOf(right: number): number[] {
    return [...(this.#byRight.get(right) ?? [])];
  }

  /** Remove every pair with this left side (the left object was deleted). */
  dropLeft(left: number): void {
    for (const right of this.rightsOf(left)) this.delete(left, right);
  }

  dropRight(right: number): void {
    for (const left of this.leftsOf(right)) this.delete(left, right);
  }

  snapshot(): { left: number; right: number; payload: P }[] {
    return [...this.#pairs.values()].sort((a, b) => a.left - b.left || a.right - b.right);
  }
}

function link(index: Map<number, Set<number>>, a: number, b: number): void {
  let set = index.get(a);
  if (!set) index.set(a, (set = new Set()));
  set.add(b);
}

function unlink(index: Map<number, Set<number>>, a: number, b: number): void {
  const set = index.get(a);
  if (!set) return;
  set.delete(b);
  if (set.size === 0) index.delete(a);
}
