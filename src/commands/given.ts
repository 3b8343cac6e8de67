import { protocols } from '../protocols/index.js';
import type { GivenOption } from '../spec/protocol.js';
import { CliError } from './cli-error.js';

/**
 * Every protocol's credential flags, once each: `--app-token`, `--admin`... in the words of one command
 * (`check`: what the run does with it; `serve`: what the mock does with it, only the flags a mock takes).
 * A flag two protocols share says what it means to each; the same words for several are said once.
 */
export function allGivenOptions(command: 'check' | 'serve' = 'check'): GivenOption[] {
  const byFlag = new Map<string, { option: GivenOption; helps: Map<string, string[]> }>();
  for (const [id, p] of Object.entries(protocols)) {
    for (const o of p.given) {
      const text = command === 'check' ? o.help : o.serve;
      if (text === undefined) continue;
      const seen = byFlag.get(o.flag);
      if (seen && seen.option.kind !== o.kind)
        throw new Error(`flag --${o.flag} is declared as ${seen.option.kind} and as ${o.kind}`);
      // Protocol ids are named in front; a declaration's own "OctoPrint: " prefix is dropped.
      const words = text.replace(/^[^:]{1,20}: /, '');
      const entry = seen ?? { option: o, helps: new Map<string, string[]>() };
      entry.helps.set(words, [...(entry.helps.get(words) ?? []), id]);
      byFlag.set(o.flag, entry);
    }
  }
  return [...byFlag.values()].map(({ option, helps }) => ({
    ...option,
    help: [...helps].map(([words, ids]) => `${ids.join(', ')}: ${words}`).join('; '),
  }));
}

export function parseUserPass(flag: string, value: string): { username: string; password: string } {
  const colon = value.indexOf(':');
  if (colon <= 0) throw new CliError(`--${flag} expects USER:PASS, got "${value.replace(/:.*/, ':…')}"`);
  return { username: value.slice(0, colon), password: value.slice(colon + 1) };
}

/** The given credentials for one protocol, taken from parsed command-line options (keys are camelCase flags). */
export function givenFor(protocolId: string, options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const protocol = protocols[protocolId];
  if (!protocol) throw new CliError(`unknown protocol "${protocolId}"; known: ${Object.keys(protocols).join(', ')}`);
  const given: Record<string, unknown> = {};
  for (const o of protocol.given) {
    const value = options[o.key];
    if (value === undefined) continue;
    given[o.key] = o.kind === 'user-pass' ? parseUserPass(o.flag, String(value)) : String(value);
  }
  return given;
}

/**
 * The options `accord check` gives its embedded mock of a protocol (nymea: a seeded admin, a 20 ms
 * lockdown), as `accord serve` flags: a served mock as quick to check as the embedded one (benchmarks,
 * tests). `withSecrets: false` leaves out credentials (a seed file brings its own).
 */
export function serveFlagsFor(protocolId: string, options: { readonly withSecrets: boolean }): string[] {
  const protocol = protocols[protocolId];
  if (!protocol) throw new CliError(`unknown protocol "${protocolId}"; known: ${Object.keys(protocols).join(', ')}`);
  const values = protocol.embeddedMock?.options ?? {};
  return protocol.given
    .filter((o) => values[o.key] !== undefined && (options.withSecrets || !o.secret))
    .flatMap((o) => {
      const value = values[o.key] as { username: string; password: string } | string | number;
      return [`--${o.flag}`, typeof value === 'object' ? `${value.username}:${value.password}` : String(value)];
    });
}
