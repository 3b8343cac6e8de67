import type { ArrangeContext } from './context.js';
import type { Expectation, Facet } from './expectation.js';
import type { Observed } from './observed.js';

/**
 * Variants: one real system comes as a family (Kanboard on SQLite, PostgreSQL or MySQL; OctoPrint 1.4 to
 * 1.11; nymea on Qt5 or Qt6), and the exact forms of some answers depend on which one a target is.
 *
 * - A protocol declares its variants, the default one, and (where the protocol lets it) how to detect the
 *   variant from the server: `ProtocolSpec.variants`.
 * - `accord check --variant V` (config key `variant`) says it instead; the run reports which variant was
 *   checked and how it was known (`detected`, `given`, `default`).
 * - A declaration that differs between variants gives one form per variant with `byVariant(...)`, and
 *   picks with `formOf(forms, variant)` (any value: a schema, a result, a flag the mock reads), or
 *   `variantFacets(forms, variant)` for expectations: those failing name the variant whose form was
 *   expected and, when the reply matches another variant's form, that one.
 * - must and should hold for every variant: only quirk facets should differ between forms.
 * - The mock reads the same declarations, so `accord serve <id> --variant V` answers as V does.
 */

export interface VariantInfo {
  readonly id: string;
  readonly title: string;
}

/** How a run knew its variant. */
export type VariantSource = 'detected' | 'given' | 'default';

export interface VariantChoice {
  readonly id: string;
  readonly source: VariantSource;
  /** In words, what showed it (detected) or who said it (given). */
  readonly evidence: string;
}

export interface VariantsSpec {
  readonly list: readonly VariantInfo[];
  /** The variant assumed when nothing else says (the references' real server). */
  readonly default: string;
  /**
   * Find the variant from the server's answers. It may create objects (named with the run prefix, tracked
   * for teardown) but must not touch anything else. undefined: the answers do not tell.
   */
  detect?(c: ArrangeContext): Promise<{ readonly id: string; readonly evidence: string } | undefined>;
}

/** One value per variant; a variant without its own form takes `default`. */
export interface ByVariant<T> {
  readonly byVariant: Readonly<Record<string, T>> & { readonly default: T };
}

export type Varied<T> = T | ByVariant<T>;

export function byVariant<T>(forms: Readonly<Record<string, T>> & { readonly default: T }): ByVariant<T> {
  return { byVariant: forms };
}

export function isByVariant<T>(value: Varied<T>): value is ByVariant<T> {
  return typeof value === 'object' && value !== null && 'byVariant' in value && Object.keys(value).length === 1;
}

/** The form a variant has. */
export function formOf<T>(value: Varied<T>, variant: string): T {
  if (!isByVariant(value)) return value;
  return variant in value.byVariant ? value.byVariant[variant]! : value.byVariant.default;
}

/**
 * The expectation of a variant. A failing facet's report says which variant's form was expected, and
 * names the other variants whose form the reply does match (so a report reads "expected the sqlite
 * form; the reply is the postgres form").
 */
export function variantFacets(forms: Varied<Expectation>, variant: string): Expectation {
  if (!isByVariant(forms)) return forms;
  const mine = formOf(forms, variant);
  const others = Object.entries(forms.byVariant).filter(([id, form]) => id !== variant && form !== mine);
  const matching = (o: Observed) => {
    const ids = others.filter(([, form]) => form.every((f) => safeVerify(f, o) === null)).map(([id]) => id);
    // The default form is named only when no variant's own form matches.
    const named = ids.filter((id) => id !== 'default');
    return (named.length > 0 ? named : ids).map((id) => `the ${id}`);
  };
  return mine.map((f): Facet => ({
    ...f,
    says: `${f.says} (${variant} form)`,
    explain: (o) => {
      const own = f.explain?.(o);
      const seen = matching(o);
      const note = `expected the ${variant} form; the reply is ${seen.length > 0 ? `${seen.join(' or ')} form` : "no declared variant's form"}`;
      return own === undefined ? note : `${note}; ${own}`;
    },
  }));
}

function safeVerify(f: Facet, o: Observed): string | null {
  try {
    return f.verify(o);
  } catch (error) {
    return (error as Error).message;
  }
}

/** Check a --variant value against a protocol's variants: the choice, or the message for the user. */
export function givenVariant(
  spec: VariantsSpec | undefined,
  protocol: string,
  value: string,
  by = 'given with --variant',
): VariantChoice | string {
  if (!spec) return `${protocol} has no variants; leave out --variant`;
  if (!spec.list.some((v) => v.id === value))
    return `--variant for ${protocol} is one of ${spec.list.map((v) => v.id).join(', ')}, not "${value}"`;
  return { id: value, source: 'given', evidence: by };
}

/** One line for the console and reports: `postgres (PostgreSQL), detected: getUser answers booleans…`. */
export function describeVariant(choice: VariantChoice, spec?: VariantsSpec): string {
  const title = spec?.list.find((v) => v.id === choice.id)?.title;
  return `${choice.id}${title ? ` (${title})` : ''}, ${choice.source}: ${choice.evidence}`;
}
