import { protocolById } from '../protocols/index.js';
import type { CredentialPositions } from '../spec/protocol.js';
import { MARKER, positionRedactor } from './redact-positions.js';
import { givenSecrets, SHORTEST_FREE_TEXT_SECRET, type GivenSecret } from './secret-forms.js';
import type { TargetConfig } from '../client/target.js';

export type Redact = (text: string) => string;

/** What clip() (src/spec/show.ts) ends a shortened message with. */
const CLIPPED = '…';

/** One protocol's credential positions and the secrets the user gave for it. */
interface Scope {
  readonly positions: CredentialPositions;
  readonly secrets: readonly GivenSecret[];
}

/**
 * What the user gave: a live target's credentials, or those the user handed an embedded mock (in
 * accord.config.json). The embedded mock's own credentials are not secrets: `accord serve` prints them, and
 * a report of a mock with nothing given keeps them, so that its reproduction lines work as pasted.
 */
function userGiven(target: WantedTarget): Readonly<Record<string, unknown>> {
  return target.mock ? (target.givenByUser ?? {}) : target.given;
}

type WantedTarget = Pick<TargetConfig, 'protocol' | 'mock' | 'given' | 'givenByUser'>;

function scopeOf(target: WantedTarget): Scope | undefined {
  const protocol = protocolById(target.protocol);
  if (!protocol) return undefined;
  const secrets = givenSecrets(protocol.given, userGiven(target));
  if (target.mock && secrets.length === 0) return undefined;
  return { positions: protocol.credentialPositions, secrets };
}

/**
 * Secrets never appear in reports or output. Every form of each given secret (as is, percent-, form-, JSON-
 * and shell-escaped, inside base64 `user:secret`) is replaced wherever it appears, except a secret too short
 * or common to tell apart from ordinary text (see weakSecretNotice); then every credential position (a
 * credential header, a cookie, a token or password field of the protocol) loses its value, whatever it is.
 * Markers (`<--admin>`, `<redacted>`) are never redacted again.
 */
export function redactorOf(scopes: readonly Scope[]): Redact {
  if (scopes.length === 0) return (text) => text;
  const secrets = scopes.flatMap((s) => s.secrets);
  const markers = new Map<string, string>();
  for (const s of secrets) for (const form of s.all) if (!markers.has(form)) markers.set(form, s.marker);
  const markerFor = (value: string) => markers.get(value) ?? '<redacted>';
  const positions = positionRedactor(
    scopes.map((s) => s.positions),
    markerFor,
  );
  // Longest first, so that a secret containing another is replaced whole.
  const literal = secrets
    .flatMap((s) => s.freeText.map((form) => [form, s.marker] as const))
    .filter(([form]) => form.length >= SHORTEST_FREE_TEXT_SECRET)
    .sort((a, b) => b[0].length - a[0].length);
  const replace = (forms: typeof literal) => (text: string) =>
    forms.reduce((t, [form, marker]) => t.split(form).join(marker), text);
  const replaceWhole = replace(literal);
  // A message clipped to one line may end inside a secret (`Zq7Vx-k…`): that start of it goes too.
  const replaceClipped = (text: string) =>
    !text.includes(CLIPPED)
      ? text
      : text
          .split(CLIPPED)
          .map((part, i, parts) => {
            if (i === parts.length - 1) return part;
            for (const [form, marker] of literal) {
              for (let k = Math.min(form.length, part.length); k >= SHORTEST_FREE_TEXT_SECRET; k -= 1) {
                if (part.endsWith(form.slice(0, k))) return part.slice(0, part.length - k) + marker;
              }
            }
            return part;
          })
          .join(CLIPPED);
  const replaceLiterals = (text: string) => replaceClipped(replaceWhole(text));
  // A secret that looks like a marker itself goes first, before anything is taken for a marker.
  const markerLike = replace(literal.filter(([form]) => new RegExp(MARKER.source).test(form)));
  return (text) => {
    if (text === '') return text;
    // Literal forms first, whole (a position may end inside a secret: a header value cut at a quote), and
    // only between markers: a marker is never taken apart. Positions then leave markers as they are.
    const marked = markerLike(text);
    let out = '';
    let from = 0;
    for (const m of marked.matchAll(MARKER)) {
      out += replaceLiterals(marked.slice(from, m.index)) + m[0];
      from = m.index + m[0].length;
    }
    return positions(out + replaceLiterals(marked.slice(from)));
  };
}

/** The redactor of one target's exchanges and records. */
export function redactorFor(target: TargetConfig): Redact {
  const scope = scopeOf(target);
  return redactorOf(scope ? [scope] : []);
}

/** A target as the command line or config gave it (before its embedded mock starts): all its `given` is the user's. */
const wantedScope = (t: WantedTarget) => scopeOf({ ...t, givenByUser: t.givenByUser ?? t.given });

/** The redactor of a run's output, over every target it checks (or cleans). */
export function redactorForTargets(targets: readonly WantedTarget[]): Redact {
  return redactorOf(targets.map(wantedScope).filter((s): s is Scope => s !== undefined));
}

/**
 * The one line a run prints when a secret cannot be found in free text (under 8 characters, the user name,
 * or a common word): it is removed from every credential position, but may still show elsewhere.
 */
export function weakSecretNotice(targets: readonly WantedTarget[]): string | undefined {
  const flags = new Set<string>();
  for (const t of targets) for (const s of wantedScope(t)?.secrets ?? []) if (s.weak) flags.add(`--${s.flag}`);
  if (flags.size === 0) return undefined;
  return (
    `accord: the secret of ${[...flags].join(', ')} is too short or too common to redact in free text ` +
    `(under ${SHORTEST_FREE_TEXT_SECRET} characters, the user name, or a common word): it is removed from ` +
    'credential headers and fields, but any other text that contains it is left as it is'
  );
}

/** An error whose message is about to be printed, redacted. */
export function redactError(error: unknown, redact: Redact): unknown {
  if (error instanceof Error) error.message = redact(error.message);
  return error;
}
