import type { RunContext } from '../../src/client/run-context.js';
import type { RunPlan, TargetConfig } from '../../src/client/target.js';
import type { MethodSpec } from '../../src/spec/method.js';
import type { ProtocolSpec } from '../../src/spec/protocol.js';
import type { Recorder } from './recorder.js';

/** What a suite sees of one target while it declares its checks (nothing has been sent yet). */
export interface TargetRun {
  readonly plan: RunPlan;
  readonly target: TargetConfig;
  readonly protocol: ProtocolSpec<unknown, unknown>;
  /** Methods the selection keeps. */
  readonly methods: readonly MethodSpec<unknown, unknown>[];
  /** Declare one check. The runner calls its body later, once the target's world is built. */
  check(meta: CheckMeta, body: CheckBody): void;
}

export interface CheckMeta {
  readonly method: string | null;
  readonly case: string;
  readonly identity: string | null;
  readonly title: string;
  readonly see: readonly string[];
}

/**
 * What a check does: calls through `ctx`, judged into `rec`. Returning ends it; throwing StopCheck ends it
 * after a failure; SkipCheck or IdentityUnavailable make it a skip; any other error means it could not run.
 */
export type CheckBody = (rec: Recorder, ctx: RunContext<unknown>) => Promise<void>;

/** A suite: declares the checks of one kind for one target. The registry is suites/index.ts. */
export type Suite = (run: TargetRun) => void;
