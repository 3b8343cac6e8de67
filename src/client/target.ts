import type { Level } from '../spec/levels.js';
import type { CheckKind } from '../spec/check.js';
import type { VariantChoice } from '../spec/variant.js';

/** One server to check: which protocol, where, and the credentials given for it. */
export interface TargetConfig {
  /** A label for reports: `kanboard`, `staging-kanboard`. */
  readonly name: string;
  readonly protocol: string;
  readonly url: string;
  /** Credentials and options by key (appToken, admin...), as the protocol's GivenOptions name them. */
  readonly given: Readonly<Record<string, unknown>>;
  /** The embedded mock (true) or a live server: live runs never touch what they did not create. */
  readonly mock: boolean;
  /**
   * An embedded mock only: the options the user gave it (accord.config.json credentials), redacted like a
   * live target's; the mock's own credentials (in `given`) are not secrets. A live target's `given` is all the user's.
   */
  readonly givenByUser?: Readonly<Record<string, unknown>>;
  /**
   * The server behind the target, when it has several endpoints (nymea's TCP and WebSocket on one mock):
   * targets naming the same server share its concurrency. Unset: the target is a server of its own.
   */
  readonly server?: string;
  /** Which variant of the protocol's system it is, and how that was known (src/runner/variant.ts). */
  readonly variant?: VariantChoice;
}

/** What to run. Empty lists mean everything. */
export interface Selection {
  readonly kinds: readonly CheckKind[];
  readonly methods: readonly string[];
}

/** Everything the suites need to know about a run (src/runner/run-checks.ts hands it to each suite). */
export interface RunPlan {
  readonly runId: string;
  /** Every name a run creates starts with it: `accord_<runId>`. */
  readonly prefix: string;
  readonly gate: Level;
  readonly targets: readonly TargetConfig[];
  readonly selection: Selection;
  readonly timeoutMs: number;
  /** Garbage calls per method in the fuzz suite, and the fast-check seed that makes them reproducible. */
  readonly fuzz?: { readonly runs: number; readonly seed: number };
  /** A file where every object created is recorded before use, so an interrupted run can be cleaned. */
  readonly ledger?: string;
  /** A file where every call made is recorded (`accord check --dry-run` prints it). */
  readonly callLog?: string;
}

/** A run prefix: `accord_` and six lower-case letters or digits. `accord clean` removes what carries one. */
export const RUN_PREFIX = /^accord_[a-z0-9]{6}_/;

export function newRunId(): string {
  return Math.random().toString(36).slice(2, 8).padEnd(6, '0');
}
