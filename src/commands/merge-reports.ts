import { renderMatrix } from '../report/console.js';
import { mergeResults, readReportsFolder, shardProblem } from '../report/merge.js';
import { writeReports } from '../report/write.js';
import { verdictOf } from '../spec/check.js';
import { CliError, EXIT } from './cli-error.js';

/** `accord merge-reports DIR... --reports OUT`: the reports of several shards as one, with one exit code. */
export function runMergeReports(
  dirs: readonly string[],
  options: { reports?: string },
  out: (line: string) => void,
): number {
  const parts = dirs.flatMap((d) => {
    const found = readReportsFolder(d);
    if (found.length === 0) throw new CliError(`${d} holds no <target>/results.json`);
    return found;
  });
  // Some checks missing, or counted twice, would make a verdict on a run that never happened.
  const problem = shardProblem(parts);
  if (problem) throw new CliError(`cannot merge: ${problem}`);
  let failed = false;
  for (const results of mergeResults(parts)) {
    const folder = writeReports(options.reports ?? 'reports', results);
    const shards = parts.filter((p) => p.target === results.target).length;
    out(
      renderMatrix(
        `${results.target}: ${results.title} (${shards} ${shards === 1 ? 'shard' : 'shards'})`,
        results.records,
        results.gate,
        results.methods,
      ),
    );
    out(`reports: ${folder}/{junit.xml,results.json,report.html,summary.md}`);
    if (results.records.some((r) => ['failed', 'broken'].includes(verdictOf(r, results.gate)))) failed = true;
  }
  return failed ? EXIT.nonconformant : EXIT.ok;
}
