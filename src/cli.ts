#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { CliError, EXIT } from './commands/cli-error.js';
import { allGivenOptions } from './commands/given.js';
import { VERSION } from './commands/version.js';
import { protocols } from './protocols/index.js';

/**
 * accord serve | check | clean | fixtures | export | selftest | merge-reports. User mistakes print one line and exit 2; never a stack trace.
 * Commands are imported when they run: `accord serve` must not pay for loading the suites and fast-check.
 */
const out = (line: string) => process.stdout.write(`${line}\n`);
// Output piped into `head` and closed early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});
const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `accord serve`'s lines, a line per request: all the lines of a turn of the event loop written together,
 * and under load at most one write every OUT_GAP_MS (a write per turn still cost a tenth of the mock's busy
 * time on a stream read, and woke the reader of the pipe as often). After a quiet spell the lines go out at
 * the end of the turn, as before. What is left when the process ends is written then.
 */
const OUT_GAP_MS = 25;
function batchedOut(): (line: string) => void {
  let pending = '';
  let scheduled = false;
  let lastWrite = Number.NEGATIVE_INFINITY;
  const flush = () => {
    scheduled = false;
    lastWrite = performance.now();
    const text = pending;
    pending = '';
    if (text !== '') process.stdout.write(text);
  };
  process.on('exit', flush);
  return (line) => {
    pending += `${line}\n`;
    if (scheduled) return;
    scheduled = true;
    const wait = lastWrite + OUT_GAP_MS - performance.now();
    if (wait <= 0) setImmediate(flush);
    else setTimeout(flush, wait);
  };
}

function credentialOptions(command: Command, words: 'check' | 'serve' = 'check'): Command {
  for (const o of allGivenOptions(words)) command.addOption(new Option(`--${o.flag} <${o.value}>`, o.help));
  return command;
}

const program = new Command()
  .name('accord')
  .description(
    'Conformance suite and stateful mock for the user, group and permission APIs of OctoPrint, Kanboard, RhodeCode and nymea',
  )
  .version(VERSION)
  .showHelpAfterError('(accord --help shows every command)')
  .exitOverride();

credentialOptions(
  program
    .command('serve')
    .description(
      'run a stateful mock of a protocol on 127.0.0.1 (or --host) until Ctrl-C: prints its URL and every credential it accepts, then ' +
        'one line per request; its state and requests are shown live at <control URL>/__accord/',
    )
    .argument('<protocol>', `one of: ${Object.keys(protocols).join(', ')}`)
    .option('--port <N>', 'port to listen on (default: any free port); for TCP+WebSocket protocols, the TCP port')
    .option(
      '--host <ADDRESS>',
      'address to listen on (default 127.0.0.1; 0.0.0.0 lets other machines, a phone on the LAN, reach it)',
    )
    .option('--tcp-port <N>', 'TCP+WebSocket protocols (nymea): the TCP port, same as --port')
    .option('--ws-port <N>', 'TCP+WebSocket protocols (nymea): the WebSocket port (default: any free port)')
    .option(
      '--control-port <N>',
      'TCP+WebSocket protocols (nymea): the HTTP control endpoint port (default: any free port)',
    )
    .option(
      '--seed <FILE>',
      'start from this state (JSON, as fixtures/<protocol>/seed.json or GET /__accord/state); default: a fresh install',
    )
    .option(
      '--state <FILE>',
      'keep the state in this file across restarts: read at start when it exists (else the seed), written after each change',
    )
    .option('--mode <MODE>', 'stateful (default) or replay (answers from fixtures, keeps no state)')
    .option('--fault <NAME>', 'switch on a named fault, a deliberate bug (repeatable; --faults lists them)', collect)
    .option('--faults', "list the protocol's named faults and what each breaks, then exit")
    .option('--max-body <BYTES>', 'largest request body read')
    .option(
      '--instances <N>',
      'start N independent mocks on consecutive ports, each with its own state and credentials',
    )
    .option(
      '--variant <V>',
      'answer as this variant of the system does (Kanboard: sqlite, postgres, mysql, each also -1.2.20|-1.2.27|-1.2.29 and -php7; OctoPrint: 1.4 … 1.11.7; nymea: qt5, qt6); default: the reference one',
    )
    .option(
      '--cors',
      "answer pages on other origins as the real server's CORS setting does (OctoPrint: api.allowCrossOrigin; the others have none)",
    )
    .option('--quiet', 'no line per request (diagnostics are still printed)'),
  'serve',
).action(async (protocol: string, options: Record<string, unknown>) => {
  const { runServe, listFaults } = await import('./commands/serve.js');
  if (options['faults']) {
    listFaults(protocol, out);
    return;
  }
  const stop = await runServe(protocol, options, batchedOut());
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await stop();
});

credentialOptions(
  program
    .command('check')
    .description('run the conformance suites against a server (default: the embedded mock of each protocol)')
    .argument('[protocol]', `one of: ${Object.keys(protocols).join(', ')}; all when left out`)
    .option('--url <URL>', 'a live server to check instead of the embedded mock')
    .option('--level <LEVEL>', 'gate on must (default), should (must+should) or quirk (all)')
    .option(
      '--only <KINDS>',
      'comma-separated kinds of check: shapes,errors,params,fuzz,rights,lifecycle,envelope,notifications',
    )
    .option('--method <NAMES>', 'comma-separated method names')
    .option('--reports <DIR>', 'where reports go (default: reports)')
    .option('--bail', 'stop at the first failing check')
    .option('--shard <i/n>', 'run one shard of the checks (for parallel CI jobs)')
    .option(
      '--concurrency <N>',
      'suites at once per server (default: what the protocol tolerates; 4, OctoPrint and nymea 1)',
    )
    .option('--timeout <MS>', 'per-call timeout in milliseconds (default 10000)')
    .option('--deadline <SECONDS>', 'stop the whole run after this long (what it created is still removed)')
    .option('--dry-run', 'print every call the run would make, without contacting the target')
    .option(
      '--config <FILE>',
      'check the targets of this file (default: ./accord.config.json when there is no protocol)',
    )
    .option('--target <NAMES>', 'comma-separated target names from the config')
    .option('--fuzz <N>', 'garbage calls per method in the fuzz suite (default 20)')
    .option('--fuzz-seed <N>', 'the fuzz seed (default 1): the same seed sends the same garbage')
    .option(
      '--compare <PATH>',
      'an earlier results.json (or reports folder): print what is newly failing and what is fixed',
    )
    .option('--fault <NAME>', 'embedded mock only: switch on a named fault (repeatable)', collect)
    .option('--quiet', 'print the matrix without failure details')
    .option(
      '--variant <V>',
      'which variant of the system the target is (Kanboard: sqlite, postgres, mysql, each also -1.2.20|-1.2.27|-1.2.29 and -php7; OctoPrint: 1.4 … 1.11.7; nymea: qt5, qt6); default: detected',
    ),
).action(async (protocol: string | undefined, options: Record<string, unknown>) => {
  const { runCheck } = await import('./commands/check.js');
  process.exitCode = await runCheck(protocol, options, out);
});

credentialOptions(
  program
    .command('clean')
    .description('remove what earlier runs left on a server (objects named accord_<run>_…); nothing else is touched')
    .argument('<protocol>', `one of: ${Object.keys(protocols).join(', ')}`)
    .requiredOption('--url <URL>', 'the server to clean')
    .option('--run <ID>', 'only what this run id left')
    .option('--dry-run', 'list what would be removed, remove nothing'),
).action(async (protocol: string, options: Record<string, unknown>) => {
  const { runClean } = await import('./commands/clean.js');
  process.exitCode = await runClean(protocol, options, out);
});

program
  .command('merge-reports')
  .description('merge the reports of several shards (accord check --shard i/n) into one; exit 1 if any check failed')
  .argument('<dirs...>', 'the reports folders of the shards')
  .option('--reports <DIR>', 'where the merged reports go (default: reports)')
  .action(async (dirs: string[], options: { reports?: string }) => {
    const { runMergeReports } = await import('./commands/merge-reports.js');
    process.exitCode = runMergeReports(dirs, options, out);
  });

program
  .command('fixtures')
  .description(
    'record the fixtures (fixtures/<protocol>/<method>/<case>.json) from the mocks, or check that they are up to date',
  )
  .argument('[protocol]', 'one protocol; all when left out')
  .option('--check', 'do not write: exit 1 when a committed fixture differs from a fresh recording')
  .option('--out <DIR>', 'write the recording to DIR/<protocol>/ instead (an installed package is never rewritten)')
  .action(async (protocol: string | undefined, options: { check?: boolean; out?: string }) => {
    const { runFixtures } = await import('./commands/fixtures.js');
    process.exitCode = await runFixtures(protocol, options, out);
  });

program
  .command('export')
  .description(
    "write a protocol's declarations as an OpenAPI 3.1, OpenRPC 1.3 or AsyncAPI 3.0 document (--format), or each protocol's as accord's own JSON",
  )
  .argument('[protocol]', 'one protocol; all when left out (without --format)')
  .option(
    '--format <FORMAT>',
    'openapi (OctoPrint), openrpc (Kanboard, RhodeCode, nymea) or asyncapi (nymea notifications)',
  )
  .option(
    '--level <LEVEL>',
    "must: schemas every conforming server meets; quirk: the real server's exact forms (with --format)",
    'must',
  )
  .option('--out <PATH>', 'with --format: the file (default: stdout); without: the folder (default: schemas)')
  .option(
    '--variant <VARIANT>',
    "with --format: record the wire forms as this variant answers (default: the protocol's default)",
  )
  .action(
    async (
      protocol: string | undefined,
      options: { out?: string; format?: string; level?: string; variant?: string },
    ) => {
      const { runExport, runFormatExport } = await import('./commands/export.js');
      process.exitCode =
        options.format === undefined
          ? runExport(protocol, options, out)
          : await runFormatExport(protocol, { ...options, format: options.format }, out);
    },
  );

program
  .command('selftest')
  .description('test the tests: check each mock with each of its named faults switched on; every fault must be caught')
  .argument('[protocol]', 'one protocol; all when left out')
  .option('--json', 'print the findings as JSON')
  .option('--fault <name>', 'only this fault of the protocol (repeatable); the clean mock is checked too', collect)
  .option('--no-clean', 'leave out the clean mock (its full run is `accord check <protocol> --level quirk`)')
  .action(async (protocol: string | undefined, options: { json?: boolean; fault?: string[]; clean?: boolean }) => {
    const { runSelfTest } = await import('./commands/selftest.js');
    process.exitCode = await runSelfTest(protocol, options, out);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.couldNotRun;
  } else if (error instanceof CliError) {
    process.stderr.write(`accord: ${error.message}\n`);
    process.exitCode = EXIT.couldNotRun;
  } else {
    process.stderr.write(
      `accord: unexpected error: ${(error as Error).message}\n(set ACCORD_DEBUG=1 for details; please report this)\n`,
    );
    if (process.env['ACCORD_DEBUG']) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = EXIT.couldNotRun;
  }
}
