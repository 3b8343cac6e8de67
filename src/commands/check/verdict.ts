import { verdictOf, type CheckRecord } from '../../spec/check.js';
import type { Level } from '../../spec/levels.js';
import { EXIT } from '../cli-error.js';

/** What one target's records say about it. */
export interface TargetVerdict {
  /** A check at the gate failed or could not run. */
  readonly failed: boolean;
  /** Why the records are no conformance verdict, as the line to print; undefined: they are one. */
  readonly couldNotRun?: string | undefined;
}

/**
 * One target's verdict. When most checks could not run (the target went away, credentials stopped
 * working), or none ran, it is no conformance verdict; a stopped run says so once for all (exitCode).
 */
export function targetVerdict(
  name: string,
  records: readonly CheckRecord[],
  gate: Level,
  stopped: boolean,
  sharded = false,
): TargetVerdict {
  // One shard of a run may hold no check of a target: its (empty) part is no failure.
  if (sharded && records.length === 0) return { failed: false };
  const failed = records.some((r) => ['failed', 'broken'].includes(verdictOf(r, gate)));
  const ran = records.filter((r) => r.skipped === undefined);
  const broken = ran.filter((r) => r.broken !== undefined);
  if (stopped || (ran.length > 0 && broken.length * 2 <= ran.length)) return { failed };
  const first = broken[0]?.broken ?? 'no checks ran';
  const counts = `${broken.length} of ${ran.length} checks could not run`;
  return { failed, couldNotRun: `accord: ${name}: ${counts}, so this is no conformance verdict; first: ${first}` };
}

/**
 * The exit code of `accord check`: 2 (could not run) when the run was stopped, had errors outside any
 * check, or a target has no verdict; else 1 when a check at the gate failed (nonconformant); else 0.
 */
export function exitCode(
  targets: readonly TargetVerdict[],
  run: { readonly errors: readonly string[]; readonly stopped: string | undefined },
  out: (line: string) => void,
): number {
  if (run.stopped !== undefined) {
    const why = `the run was stopped (${run.stopped})`;
    out(`accord: ${why}: the results above are partial, so this is no conformance verdict`);
    return EXIT.couldNotRun;
  }
  if (run.errors.length > 0 || targets.some((t) => t.couldNotRun !== undefined)) return EXIT.couldNotRun;
  return targets.some((t) => t.failed) ? EXIT.nonconformant : EXIT.ok;
}
