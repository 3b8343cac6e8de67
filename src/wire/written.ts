/**
 * A value already written in a wire's JSON form, kept between requests by the mock (mock/serial-cache.ts)
 * and spliced into a reply as it stands: the same bytes as writing the value there. Each wire splices the
 * kind made for its own form (compact, indented, keys sorted); anything else that reads it as a value
 * (JSON.stringify, a fault rewriting a reply) gets the value back.
 */
export class WrittenJson {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

const keptLists = new WeakSet<readonly WrittenJson[]>();

/**
 * A list of written values, frozen: nothing in it can change, so a wire may keep its own text of the whole
 * list too (each wire keeps it in its own form, see isKeptList).
 */
export function keptList<T extends WrittenJson>(items: readonly T[]): readonly T[] {
  const list = Object.freeze([...items]);
  keptLists.add(list);
  return list;
}

/** Was this list made by keptList (and so may its written text be kept)? */
export function isKeptList(value: unknown): value is readonly WrittenJson[] {
  return Array.isArray(value) && keptLists.has(value);
}
