/**
 * Check levels. Every facet of every check carries one.
 *
 * - `must`:  the documentation and the real server agree.
 * - `should`: good practice, or documented behaviour that real servers implement in more than one way;
 *             such a check accepts every form the reference shows real servers using.
 * - `quirk`: the exact behaviour of the reference's real server where it departs from the documentation
 *             or from the protocol standard (Kanboard answering ids as numbers, nymea's doubled quote...).
 *
 * The reference's real server passes every level; so does the embedded mock. A server written from the
 * documentation alone may fail `quirk` facets: the failure names the documented form it matched.
 * `accord check` gates on `must` by default; `--level should` gates on must+should, `--level quirk` on all.
 */
export const LEVELS = ['must', 'should', 'quirk'] as const;
export type Level = (typeof LEVELS)[number];

const RANK: Record<Level, number> = { must: 0, should: 1, quirk: 2 };

/** True when a facet of `level` counts towards the verdict of a run gated at `gate`. */
export function gates(level: Level, gate: Level): boolean {
  return RANK[level] <= RANK[gate];
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}
