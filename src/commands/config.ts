import { existsSync, readFileSync } from 'node:fs';
import { Type, type Static } from 'typebox';
import { protocolById, protocols } from '../protocols/index.js';
import { describeViolations, violations } from '../spec/schema.js';
import { CliError } from './cli-error.js';
import { parseUserPass } from './given.js';
import { baseUrlOf } from './target-url.js';
import type { VariantChoice } from '../spec/variant.js';

/**
 * accord.config.json: several targets, each with protocol, URL (or `"mock": true`) and its credentials
 * under the same keys as the command-line flags (appToken, admin, adminKey...). String values may name
 * environment variables as ${NAME}, so that secrets stay out of the file; they are never printed.
 */
export const CONFIG_FILE = 'accord.config.json';

const TargetEntry = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z0-9._-]+$' }),
    protocol: Type.String(),
    url: Type.Optional(Type.String()),
    mock: Type.Optional(Type.Boolean()),
    variant: Type.Optional(Type.String()),
  },
  { additionalProperties: Type.String() },
);

const ConfigFile = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    level: Type.Optional(Type.Union([Type.Literal('must'), Type.Literal('should'), Type.Literal('quirk')])),
    reports: Type.Optional(Type.String()),
    timeout: Type.Optional(Type.Integer({ minimum: 1 })),
    concurrency: Type.Optional(Type.Integer({ minimum: 1 })),
    targets: Type.Array(TargetEntry, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type ConfigFile = Static<typeof ConfigFile>;

export interface ConfiguredTarget {
  readonly name: string;
  readonly protocol: string;
  readonly url?: string;
  readonly mock: boolean;
  readonly given: Readonly<Record<string, unknown>>;
  /** The config key `variant`: which variant of the system the target is (checked when the run starts). */
  readonly variant?: VariantChoice;
}

export interface Config {
  readonly file: string;
  readonly level?: string;
  readonly reports?: string;
  readonly timeout?: number;
  readonly concurrency?: number;
  readonly targets: readonly ConfiguredTarget[];
}

function substitute(value: string, where: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
    const v = env[name];
    if (v === undefined || v === '')
      throw new CliError(`${where} needs the environment variable ${name}, which is not set`);
    return v;
  });
}

export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Config {
  if (!existsSync(file)) throw new CliError(`no config file ${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const problems = violations(ConfigFile, raw);
  if (problems.length > 0) throw new CliError(`${file}: ${describeViolations(problems)}`);
  const config = raw as ConfigFile;
  const names = new Set<string>();
  const targets = config.targets.map((t): ConfiguredTarget => {
    const where = `${file}: target ${t.name}`;
    if (names.has(t.name)) throw new CliError(`${where}: the name is used twice`);
    names.add(t.name);
    const protocol = protocolById(t.protocol);
    if (!protocol)
      throw new CliError(`${where}: unknown protocol "${t.protocol}"; known: ${Object.keys(protocols).join(', ')}`);
    if (!t.mock && !t.url) throw new CliError(`${where}: give "url", or "mock": true for the embedded mock`);
    const given: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(t)) {
      if (['name', 'protocol', 'url', 'mock', 'variant'].includes(key)) continue;
      const option = protocol.given.find((o) => o.key === key);
      if (!option)
        throw new CliError(
          `${where}: unknown key "${key}"; ${t.protocol} takes ${protocol.given.map((o) => o.key).join(', ')}`,
        );
      const text = substitute(String(value), `${where}: ${key}`, env);
      given[key] = option.kind === 'user-pass' ? parseUserPass(option.flag, text) : text;
    }
    const url =
      t.url === undefined ? undefined : baseUrlOf(t.protocol, substitute(t.url, `${where}: url`, env), `${where}: url`);
    const variant =
      t.variant === undefined
        ? {}
        : { variant: { id: t.variant, source: 'given' as const, evidence: `given in ${file}` } };
    return { name: t.name, protocol: t.protocol, mock: t.mock === true, given, ...(url ? { url } : {}), ...variant };
  });
  return {
    file,
    targets,
    ...(config.level ? { level: config.level } : {}),
    ...(config.reports ? { reports: config.reports } : {}),
    ...(config.timeout ? { timeout: config.timeout } : {}),
    ...(config.concurrency ? { concurrency: config.concurrency } : {}),
  };
}

/** The config to use: --config FILE, else ./accord.config.json when it exists. */
export function findConfig(explicit: string | undefined): string | undefined {
  if (explicit) return explicit;
  return existsSync(CONFIG_FILE) ? CONFIG_FILE : undefined;
}
