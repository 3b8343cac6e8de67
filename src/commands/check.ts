import { redactError, redactorForTargets, weakSecretNotice } from '../report/redact.js';
import { checkSettings, type CheckOptions, type CheckSettings } from './check/check-options.js';
import { dryRun } from './check/dry-run.js';
import { planRun } from './check/plan-run.js';
import { reportTargets } from './check/report-targets.js';
import { wantedTargets, type WantedTarget } from './check/resolve-targets.js';
import { runPreflight } from './check/run-preflight.js';
import { runWithSignals } from './check/run-with-signals.js';
import { startTargets } from './check/start-targets.js';
import { sweep } from './check/sweep.js';
import { exitCode } from './check/verdict.js';
import { checkAskedVariant } from './variant-option.js';

export type { CheckOptions } from './check/check-options.js';

/**
 * `accord check`: options → targets → embedded mocks → pre-flight → checks → sweep → reports → exit code.
 * Each step is a file of src/commands/check/; src/runner/DESIGN.md follows a check through them.
 */
export async function runCheck(
  protocolArg: string | undefined,
  cliOptions: CheckOptions,
  print: (line: string) => void,
): Promise<number> {
  const settings = checkSettings(protocolArg, cliOptions);
  const wanted = wantedTargets(protocolArg, cliOptions, settings);
  // Once the targets are known, every line and every error message goes through the redactor of their secrets.
  const redact = redactorForTargets(wanted);
  const out = (line: string) => print(redact(line));
  const weak = weakSecretNotice(wanted);
  if (weak) out(weak);
  for (const t of wanted) checkAskedVariant(t, settings.variant);
  if (settings.config) out(`accord: ${wanted.length} targets from ${settings.config.file}`);
  try {
    return settings.dryRun ? await dryRun(wanted, settings, out) : await check(wanted, settings, out);
  } catch (error) {
    throw redactError(error, redact);
  }
}

/** The checks proper, with the embedded mocks up for the whole of it. */
async function check(
  wanted: readonly WantedTarget[],
  settings: CheckSettings,
  out: (line: string) => void,
): Promise<number> {
  const started = await startTargets(wanted, settings);
  try {
    const { plan, findings } = await runPreflight(planRun(started.targets, settings), wanted, settings);
    const run = await runWithSignals(plan, settings, out);
    await sweep(plan, run.stopped !== undefined, out);
    const times = { startedAt: run.startedAt, durationMs: Date.now() - run.startedAt, stopped: run.stopped };
    const verdicts = reportTargets(plan, [...findings, ...run.records], times, settings, out);
    return exitCode(verdicts, run, out);
  } finally {
    await started.close();
  }
}
