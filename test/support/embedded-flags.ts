import { protocols } from '../../src/protocols/index.js';

/**
 * The options `accord check` gives its embedded mock (nymea: a seeded admin, a 20 ms lockdown), as the
 * flags a person would give `accord serve`: a served mock that is as quick to check as the embedded one.
 * `withSecrets: false` leaves out credentials (a seed file brings its own).
 */
export function embeddedMockFlags(id: string, options: { withSecrets: boolean }): string[] {
  const protocol = protocols[id]!;
  const values = protocol.embeddedMock?.options ?? {};
  return protocol.given
    .filter((o) => values[o.key] !== undefined && (options.withSecrets || !o.secret))
    .flatMap((o) => {
      const value = values[o.key] as { username: string; password: string } | string | number;
      return [`--${o.flag}`, typeof value === 'object' ? `${value.username}:${value.password}` : String(value)];
    });
}
