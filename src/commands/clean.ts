import { newRunId, type RunPlan, type TargetConfig } from '../client/target.js';
import { protocolById, protocols } from '../protocols/index.js';
import { cleanup } from '../runner/cleanup.js';
import { preflight } from '../runner/preflight.js';
import { CliError, CouldNotRun, EXIT } from './cli-error.js';
import { givenFor } from './given.js';
import { baseUrlOf } from './target-url.js';
import { redactError, redactorForTargets, weakSecretNotice } from '../report/redact.js';

export interface CleanOptions {
  readonly url?: string;
  readonly run?: string;
  readonly dryRun?: boolean;
  readonly [flag: string]: unknown;
}

/** `accord clean <protocol> --url URL ...`: remove what earlier runs left, found by their name prefix. */
export async function runClean(
  protocol: string,
  options: CleanOptions,
  print: (line: string) => void,
): Promise<number> {
  if (!protocolById(protocol))
    throw new CliError(`unknown protocol "${protocol}"; known: ${Object.keys(protocols).join(', ')}`);
  if (!options.url) throw new CliError('accord clean needs --url: the server to clean');
  if (options.run !== undefined && !/^[a-z0-9]{6}$/.test(options.run))
    throw new CliError(
      `--run takes a run id (six lower-case letters or digits, as in accord_<run>_…), not "${options.run}"`,
    );
  const target = {
    name: protocol,
    protocol,
    url: baseUrlOf(protocol, options.url, '--url'),
    given: givenFor(protocol, options),
    mock: false,
  };
  const redact = redactorForTargets([target]);
  const out = (line: string) => print(redact(line));
  const weak = weakSecretNotice([target]);
  if (weak) out(weak);
  try {
    return await clean(target, options, out);
  } catch (error) {
    throw redactError(error, redact);
  }
}

async function clean(target: TargetConfig, options: CleanOptions, out: (line: string) => void): Promise<number> {
  const runId = newRunId();
  const plan: RunPlan = {
    runId,
    prefix: `accord_${runId}`,
    gate: 'must',
    targets: [target],
    selection: { kinds: [], methods: [] },
    timeoutMs: 10_000,
  };
  const verdict = await preflight(plan, target);
  if (!verdict.ok) throw new CouldNotRun(verdict.reason);
  const report = await cleanup(plan, target, {
    ...(options.run ? { prefix: `accord_${options.run}_` } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
  });
  for (const line of report.removed) out(`${options.dryRun ? 'would remove' : 'removed'} ${line}`);
  for (const line of report.problems) out(`accord: ${line}`);
  out(
    `${report.removed.length} ${options.dryRun ? 'objects would be removed' : 'objects removed'}${options.run ? ` (run ${options.run})` : ' (every accord_<run>_ prefix)'}; nothing else was touched`,
  );
  return report.problems.length > 0 ? EXIT.couldNotRun : EXIT.ok;
}
