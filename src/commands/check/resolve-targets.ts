import type { TargetConfig } from '../../client/target.js';
import { protocolById, protocols } from '../../protocols/index.js';
import { CliError } from '../cli-error.js';
import { givenFor } from '../given.js';
import { baseUrlOf } from '../target-url.js';
import { validateSelection } from '../validate-selection.js';
import type { CheckOptions, CheckSettings } from './check-options.js';

/** A target before the embedded mocks have started: those get their URL and credentials then. */
export type WantedTarget = Omit<TargetConfig, 'url'> & { readonly url?: string };

/** The command line's targets: the protocol named (at --url with its credential flags), or every embedded mock. */
export function resolveTargets(protocolArg: string | undefined, options: CheckOptions): WantedTarget[] {
  if (protocolArg === undefined) {
    if (options.url) throw new CliError('--url needs a protocol: accord check <protocol> --url URL');
    return Object.keys(protocols).map((id) => ({ name: id, protocol: id, given: {}, mock: true }));
  }
  if (!protocolById(protocolArg)) {
    throw new CliError(`unknown protocol "${protocolArg}"; known: ${Object.keys(protocols).join(', ')}`);
  }
  if (!options.url) return [{ name: protocolArg, protocol: protocolArg, given: {}, mock: true }];
  const url = baseUrlOf(protocolArg, options.url, '--url');
  return [{ name: protocolArg, protocol: protocolArg, url, given: givenFor(protocolArg, options), mock: false }];
}

/**
 * The targets of the run: the config file's or the command line's, kept to --target; and --only, --method
 * and --shard checked against their protocols, so that a typo is one line before anything starts.
 */
export function wantedTargets(
  protocolArg: string | undefined,
  options: CheckOptions,
  settings: Pick<CheckSettings, 'config' | 'targetNames' | 'kinds' | 'methods' | 'shardAsked'>,
): WantedTarget[] {
  const { config, targetNames } = settings;
  let wanted = config ? [...config.targets] : resolveTargets(protocolArg, options);
  if (targetNames) {
    for (const n of targetNames) {
      if (!wanted.some((t) => t.name === n)) {
        const known = wanted.map((t) => t.name).join(', ');
        throw new CliError(`--target ${n}: no such target${config ? ` in ${config.file}` : ''}; targets: ${known}`);
      }
    }
    wanted = wanted.filter((t) => targetNames.includes(t.name));
  }
  const selection = { kinds: settings.kinds, methods: settings.methods, shard: settings.shardAsked };
  validateSelection(
    selection,
    wanted.map((t) => t.protocol),
  );
  return wanted;
}
