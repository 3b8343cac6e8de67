import { inject } from 'vitest';
import type { RunPlan } from '../../src/client/target.js';
import type { CheckRecord } from '../../src/spec/check.js';

declare module 'vitest' {
  export interface ProvidedContext {
    accordPlan: RunPlan;
  }
  export interface TaskMeta {
    accord?: CheckRecord;
  }
}

/** The run plan the CLI handed to vitest (targets, gate, selection). */
export function runPlan(): RunPlan {
  const plan = inject('accordPlan');
  if (!plan) throw new Error('accord suites run through `accord check`, which provides the run plan');
  return plan;
}
