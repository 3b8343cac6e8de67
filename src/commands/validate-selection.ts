import { protocolById } from '../protocols/index.js';
import { CHECK_KINDS } from '../spec/check.js';
import { kindsOf } from '../spec/protocol.js';
import { CliError } from './cli-error.js';

/**
 * What `accord check` was asked to run, checked against the targets' protocols before anything starts
 * (no mock, no pre-flight, no report written): a typo is one line and exit code 2, never an empty run.
 */
export interface Selection {
  readonly kinds: readonly string[];
  readonly methods: readonly string[];
  readonly shard?: string | undefined;
}

export function validateSelection(selection: Selection, protocolIds: readonly string[]): void {
  const ids = [...new Set(protocolIds)];
  validateShard(selection.shard);
  validateKinds(selection.kinds, ids);
  validateMethods(selection.methods, ids);
}

/** `i/n`: shard i of n, counted from 1. */
export function validateShard(shard: string | undefined): void {
  if (shard === undefined) return;
  const m = /^(\d+)\/(\d+)$/.exec(shard);
  const [i, n] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || n < 1 || i < 1 || i > n)
    throw new CliError(`--shard takes i/n with 1 <= i <= n (e.g. --shard 2/3), not "${shard}"`);
}

function validateKinds(kinds: readonly string[], ids: readonly string[]): void {
  for (const k of kinds) {
    if (!(CHECK_KINDS as readonly string[]).includes(k))
      throw new CliError(`--only takes kinds of check (${CHECK_KINDS.join(', ')}), not "${k}"`);
  }
  if (kinds.length === 0) return;
  for (const id of ids) {
    const has: readonly string[] = kindsOf(protocolById(id)!);
    if (kinds.some((k) => has.includes(k))) continue;
    const pick = ids.length > 1 ? '; pick targets with --target, or name a protocol' : '';
    throw new CliError(
      `--only ${kinds.join(',')}: ${id} has no checks of ${kinds.length > 1 ? 'these kinds' : 'that kind'}; it has ${has.join(', ')}${pick}`,
    );
  }
}

/** The methods a check can be filed under: the declared ones and those scenarios are about. */
function methodsOf(id: string): string[] {
  const protocol = protocolById(id)!;
  return [...new Set([...protocol.methods.map((m) => m.name), ...protocol.scenarios.map((s) => s.method)])];
}

function validateMethods(methods: readonly string[], ids: readonly string[]): void {
  if (methods.length === 0) return;
  const known = new Map(ids.map((id) => [id, methodsOf(id)]));
  for (const name of methods) {
    if ([...known.values()].some((list) => list.includes(name))) continue;
    const all = [...new Set([...known.values()].flat())];
    const near = closest(name, all);
    throw new CliError(
      `unknown method "${name}" for ${ids.join(', ')}; known: ${all.join(', ')}${near ? `; did you mean ${near}?` : ''}`,
    );
  }
  // Several protocols at once (a config file): each must have something to run.
  for (const [id, list] of known) {
    if (!methods.some((name) => list.includes(name)))
      throw new CliError(
        `--method ${methods.join(',')}: ${id} has none of these methods; pick targets with --target, or name a protocol`,
      );
  }
}

/** The known name a typo most likely meant: at most a third of its letters off. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d <= Math.max(1, Math.floor(name.length / 3)) && (!best || d < best.distance)) best = { name: c, distance: d };
  }
  return best?.name;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}
