#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { runCheck } from './commands/check.js';
import { CliError, EXIT } from './commands/cli-error.js';
import { allGivenOptions } from './commands/given.js';
import { runServe } from './commands/serve.js';
import { VERSION } from './commands/version.js';
import { protocols } from './protocols/index.js';

/** accord serve | check | fixtures | export. User mistakes print one line and exit 2; never a stack trace. */
const out = (line: string) => process.stdout.write(`${line}\n`);
const collect = (value: string, previous: string[] = []) => [...previous, value];

function credentialOptions(command: Command): Command {
  for (const o of allGivenOptions()) command.addOption(new Option(`--${o.flag} <${o.value}>`, o.help));
  return command;
}

const program = new Command()
  .name('accord')
  .description('Conformance suite and stateful mock for the user, group and permission APIs of OctoPrint, Kanboard, RhodeCode and nymea')
  .version(VERSION)
  .showHelpAfterError('(accord --help shows every command)')
  .exitOverride();

credentialOptions(
  program
    .command('serve')
    .description('run a stateful mock of a protocol on 127.0.0.1, printing its URL and every credential it accepts')
    .argument('<protocol>', `one of: ${Object.keys(protocols).join(', ')}`)
    .option('--port <N>', 'port to listen on (default: any free port); for TCP+WebSocket protocols, the TCP port')
    .option('--tcp-port <N>', 'TCP+WebSocket protocols (nymea): the TCP port, same as --port')
    .option('--ws-port <N>', 'TCP+WebSocket protocols (nymea): the WebSocket port (default: any free port)')
    .option('--control-port <N>', 'TCP+WebSocket protocols (nymea): the HTTP control endpoint port (default: any free port)')
    .option('--seed <FILE>', 'seed state (JSON, see fixtures/<protocol>/seed.json); default: a fresh install')
    .option('--mode <MODE>', 'stateful (default) or replay (answers from fixtures, keeps no state)')
    .option('--fault <NAME>', 'switch on a named fault (repeatable); see mock/faults', collect)
    .option('--max-body <BYTES>', 'largest request body read'),
).action(async (protocol: string, options: Record<string, unknown>) => {
  const stop = await runServe(protocol, options, out);
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
    .option('--only <KINDS>', 'comma-separated kinds of check: shapes,errors,params,rights,lifecycle,envelope,notifications')
    .option('--method <NAMES>', 'comma-separated method names')
    .option('--reports <DIR>', 'where reports go (default: reports)')
    .option('--bail', 'stop at the first failing check')
    .option('--shard <i/n>', 'run one shard of the checks (for parallel CI jobs)')
    .option('--timeout <MS>', 'per-call timeout in milliseconds (default 10000)')
    .option('--fault <NAME>', 'embedded mock only: switch on a named fault (repeatable)', collect)
    .option('--quiet', 'print the matrix without failure details'),
).action(async (protocol: string | undefined, options: Record<string, unknown>) => {
  process.exitCode = await runCheck(protocol, options, out);
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
    process.stderr.write(`accord: unexpected error: ${(error as Error).message}\n(set ACCORD_DEBUG=1 for details; please report this)\n`);
    if (process.env['ACCORD_DEBUG']) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = EXIT.couldNotRun;
  }
}
