import type { CheckKind } from '../../src/spec/check.js';

/**
 * A named, deliberate mistake a real implementation could make, applied to a dialect's stages. Each
 * declares which kinds of check are expected to catch it; test/faults.test.ts proves they do.
 */
export interface Fault<Stages> {
  readonly name: string;
  readonly protocol: string;
  readonly says: string;
  readonly caughtBy: readonly CheckKind[];
  /** The level at which the catching checks fail: must unless the fault only breaks a quirk. */
  readonly level: 'must' | 'should' | 'quirk';
  apply(stages: Stages): void;
}
