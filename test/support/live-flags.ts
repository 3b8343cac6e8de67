import { protocols } from '../../src/protocols/index.js';

/**
 * The command-line flags that give a live `accord check` the credentials a served mock accepts (read
 * from its /__accord/given): how a person would pass them, `--admin-key K`, `--admin USER:PASS`...
 */
export async function flagsFor(protocol: string, controlUrl: string): Promise<string[]> {
  const given = (await (await fetch(`${controlUrl}/__accord/given`)).json()) as Record<string, unknown>;
  const flags: string[] = [];
  for (const option of protocols[protocol]?.given ?? []) {
    const value = given[option.key];
    if (value === undefined || value === null) continue;
    const text =
      option.kind === 'user-pass'
        ? `${(value as { username: string }).username}:${(value as { password: string }).password}`
        : String(value);
    flags.push(`--${option.flag}`, text);
  }
  return flags;
}
