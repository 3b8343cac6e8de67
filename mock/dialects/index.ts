import type { TSchema } from 'typebox';
import { DialectOptionError, type Dialect, type DialectOptions } from '../dialect.js';
import { seedProblem } from '../seed-schema.js';
import { kanboardSeedSchema } from './kanboard/seed-schema.js';
import { nymeaSeedSchema } from './nymea/seed-schema.js';
import { octoprint13SeedSchema } from './octoprint-1.3/seed-schema.js';
import { octoprintSeedSchema } from './octoprint/seed-schema.js';
import { rhodecodeSeedSchema } from './rhodecode/seed-schema.js';
import { createKanboardDialect, type KanboardGiven, type KanboardOptions } from './kanboard/index.js';
import { createOctoPrint13Dialect, type Given13, type Options13 } from './octoprint-1.3/index.js';
import { createOctoPrintDialect, type OctoPrintGiven, type OctoPrintOptions } from './octoprint/index.js';
import { createRhodeCodeDialect, type RhodeCodeGiven, type RhodeCodeOptions } from './rhodecode/index.js';
import { createNymeaDialect, type NymeaGiven, type NymeaOptions } from './nymea/index.js';

/** Every protocol's mock: its options and the credentials it accepts. A new protocol adds a line here. */
export interface MockProtocols {
  kanboard: { readonly options: KanboardOptions; readonly given: KanboardGiven };
  octoprint: { readonly options: OctoPrintOptions; readonly given: OctoPrintGiven };
  'octoprint-1.3': { readonly options: Options13; readonly given: Given13 };
  rhodecode: { readonly options: RhodeCodeOptions; readonly given: RhodeCodeGiven };
  nymea: { readonly options: NymeaOptions; readonly given: NymeaGiven };
}

export type MockProtocol = keyof MockProtocols;
export type OptionsOf<P extends MockProtocol> = MockProtocols[P]['options'];
export type GivenOf<P extends MockProtocol> = MockProtocols[P]['given'];
/** A protocol's mock, with the credentials it accepts typed. */
export type DialectOf<P extends MockProtocol> = Dialect & { readonly given: GivenOf<P> };

/** Options every dialect takes (DialectOptions), listed so that a misspelt one is refused at run time too. */
const COMMON = [
  'seed',
  'faults',
  'log',
  'fixed',
  'mode',
  'fixtures',
  'maxDepth',
  'variant',
] as const satisfies readonly (keyof DialectOptions)[];

/** Each option key of O, checked both ways: a key not in O does not compile, nor does a list that misses one. */
function keysOf<O>() {
  return <const K extends readonly (keyof O)[]>(
    keys: K & ([Exclude<keyof O, K[number]>] extends [never] ? unknown : never),
  ) => keys;
}

interface Entry<P extends MockProtocol> {
  readonly create: (options: OptionsOf<P>) => DialectOf<P>;
  readonly options: readonly string[];
  /** What a seed (or a saved state) must look like. */
  readonly seed: TSchema;
}

const DIALECTS: { readonly [P in MockProtocol]: Entry<P> } = {
  kanboard: {
    create: createKanboardDialect,
    options: keysOf<KanboardOptions>()([...COMMON, 'appToken', 'admin', 'now']),
    seed: kanboardSeedSchema,
  },
  octoprint: {
    create: createOctoPrintDialect,
    options: keysOf<OctoPrintOptions>()([...COMMON, 'adminKey', 'userKey', 'globalKey', 'cors']),
    seed: octoprintSeedSchema,
  },
  'octoprint-1.3': {
    create: createOctoPrint13Dialect,
    options: keysOf<Options13>()([...COMMON, 'adminKey', 'userKey', 'globalKey']),
    seed: octoprint13SeedSchema,
  },
  rhodecode: {
    create: createRhodeCodeDialect,
    options: keysOf<RhodeCodeOptions>()([...COMMON, 'adminToken', 'userToken', 'now']),
    seed: rhodecodeSeedSchema,
  },
  nymea: {
    create: createNymeaDialect,
    options: keysOf<NymeaOptions>()([...COMMON, 'admin', 'lockdownMs', 'handshakeTimeoutMs', 'pushButton']),
    seed: nymeaSeedSchema,
  },
};

/** The protocols that have a mock, in registry order. */
export const MOCK_PROTOCOLS = Object.keys(DIALECTS) as MockProtocol[];

export function isMockProtocol(protocol: string): protocol is MockProtocol {
  return Object.hasOwn(DIALECTS, protocol);
}

/**
 * A protocol's mock. An unknown protocol or an option the mock does not take (`appTokn`) is refused with a
 * DialectOptionError naming what it takes; options whose value is undefined count as not given.
 */
export function createDialect<P extends MockProtocol>(protocol: P, options?: OptionsOf<P>): DialectOf<P>;
export function createDialect(protocol: string, options?: Readonly<Record<string, unknown>>): Dialect;
export function createDialect(protocol: string, options: Readonly<Record<string, unknown>> = {}): Dialect {
  if (!isMockProtocol(protocol)) {
    throw new DialectOptionError(`no mock for protocol "${protocol}"; known: ${MOCK_PROTOCOLS.join(', ')}`);
  }
  const entry = DIALECTS[protocol] as Entry<MockProtocol>;
  const unknown = Object.keys(options).filter((key) => options[key] !== undefined && !entry.options.includes(key));
  if (unknown.length > 0) {
    throw new DialectOptionError(
      `the ${protocol} mock takes no option ${unknown.map((k) => `"${k}"`).join(', ')}; it takes: ${entry.options.join(', ')}`,
    );
  }
  if (options['seed'] !== undefined) {
    const problem = seedProblem(entry.seed, options['seed']);
    if (problem) throw new DialectOptionError(`the ${protocol} seed is not valid: ${problem}`);
  }
  return entry.create(options as OptionsOf<MockProtocol> as never);
}

/**
 * The options that make a protocol's mock accept the same credentials as `dialect` (its random tokens and
 * keys): a mock reset to its seed keeps what its banner printed.
 */
export function sameCredentials(protocol: string, dialect: Dialect): Record<string, unknown> {
  if (!isMockProtocol(protocol)) return {};
  const keys = DIALECTS[protocol].options;
  return Object.fromEntries(
    Object.entries(dialect.given).filter(([key, value]) => keys.includes(key) && value !== undefined),
  );
}

/** Whether a protocol's mock takes an option (`cors`: only where the real server has such a setting). */
export function takesOption(protocol: string, option: string): boolean {
  return isMockProtocol(protocol) && DIALECTS[protocol].options.includes(option);
}
