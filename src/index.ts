/** accord as a library: the spec model, the protocols, and the client that checks a target. */
export * from './spec/levels.js';
export * from './spec/check.js';
export * from './spec/expectation.js';
export * from './spec/method.js';
export * from './spec/protocol.js';
export { protocols, protocolById } from './protocols/index.js';
export { runChecks, type RunOptions, type RunResult } from './runner/run-checks.js';
export type { RunPlan, TargetConfig } from './client/target.js';
