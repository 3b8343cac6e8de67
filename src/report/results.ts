import type { CheckRecord } from '../spec/check.js';
import type { Level } from '../spec/levels.js';
import type { VariantChoice } from '../spec/variant.js';
import type { Comparison } from './compare.js';
import { tally, type Tally } from './matrix.js';

/** One target's results, as written to results.json and read back by `--compare`. */
export interface TargetResults {
  readonly accord: string;
  readonly runId: string;
  /** `i/n` when this is one shard of a run split over n jobs (`accord check --shard i/n`). */
  readonly shard?: string;
  readonly target: string;
  readonly protocol: string;
  readonly title: string;
  readonly reference: string;
  readonly url: string;
  readonly mock: boolean;
  /** Which variant of the system was checked, and how that was known (absent in results of older runs). */
  readonly variant?: VariantChoice;
  readonly gate: Level;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly methods: readonly string[];
  readonly totals: Tally;
  readonly records: readonly CheckRecord[];
  /** Set when the run was compared with an earlier one (--compare). */
  readonly comparison?: Comparison;
}

export function makeResults(base: Omit<TargetResults, 'totals'>): TargetResults {
  return { ...base, totals: tally(base.records, base.gate) };
}
