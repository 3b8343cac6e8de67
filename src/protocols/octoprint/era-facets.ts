import type { Facet } from '../../spec/expectation.js';
import type { Level } from '../../spec/levels.js';
import type { Observed } from '../../spec/observed.js';
import { show } from '../../spec/show.js';
import { errorEnvelope, errorIs, errorTextOf, flaskReply } from '../../wire/rest.js';
import { DEFAULT_ERA, eraText, formOfEra, type OctoPrintForm } from './variants.js';

/**
 * Facets whose words hold for every release but whose form is the era's (variants.ts): the run judges
 * them as the variant it checks (Facet.forVariant); without one, as the default era (1.11.7).
 */
export function eraFacet(
  level: Level,
  says: string,
  test: (form: OctoPrintForm) => (o: Observed) => string | null,
  explain?: (o: Observed) => string | undefined,
): Facet {
  const verify = test(formOfEra(DEFAULT_ERA));
  return {
    level,
    says,
    verify,
    forVariant: (variant) => test(formOfEra(variant)),
    ...(explain ? { explain } : {}),
  };
}

/** The forms an HTML page may carry a text in: as is, or escaped by Werkzeug 0.x or markupsafe. */
function inBody(body: string, text: string): boolean {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return [text, escaped, escaped.replace(/'/g, '&#39;'), escaped.replace(/'/g, '&#x27;')].some((t) => body.includes(t));
}

const isHtml = (o: Observed) =>
  o.transport === 'http' && /^text\/html\b/i.test(o.headers['content-type'] ?? '') && errorTextOf(o) === undefined;

/**
 * An error body of OctoPrint's: JSON {"error": text} from 1.6 on (the app's HTTPException handler); 1.4–1.5
 * answer make_response text or Werkzeug's HTML page, both sent as text/html (octoprint.md §1). Judged as the
 * checked era (detected from GET /api/version), so a 1.11 server that sends text errors still fails here.
 */
export function apiError(level: Level): Facet {
  const json = errorEnvelope(level);
  return eraFacet(level, 'an error body: JSON {"error": "..."} (1.6+), text or HTML (1.4–1.5)', (form) =>
    form.jsonErrors
      ? (o) => json.verify(o)
      : (o) => {
          if (o.transport !== 'http') return o.transport === 'none' ? o.error : 'not an HTTP reply';
          return isHtml(o) ? null : `got Content-Type ${show(o.headers['content-type'] ?? '(none)')}`;
        },
  );
}

/**
 * The error text (1.11's words; an era words some otherwise, `eraText`): the `error` of the JSON envelope
 * from 1.6 on, the body itself (text, or the description in Werkzeug's HTML page) in 1.4–1.5.
 */
export function errorSays(text: string, level: Level, explain?: (o: Observed) => string | undefined): Facet {
  return eraFacet(
    level,
    `error "${text.length > 90 ? `${text.slice(0, 89)}…` : text}"`,
    (form) => errorTextTest(form, text),
    explain,
  );
}

/** The test of errorSays for one era. */
export function errorTextTest(form: OctoPrintForm, text: string): (o: Observed) => string | null {
  const want = eraText(form, text);
  if (form.jsonErrors) {
    const json = errorIs(want, 'quirk');
    return (o) => json.verify(o);
  }
  return (o) => {
    if (o.transport !== 'http') return o.transport === 'none' ? o.error : 'not an HTTP reply';
    return isHtml(o) && inBody(o.text, want) ? null : `got body ${show(o.text.slice(0, 120))}`;
  };
}

/** The status of an era (`test` picks it from the form). */
export function eraStatus(
  level: Level,
  says: string,
  code: (form: OctoPrintForm) => number,
  explain?: (o: Observed) => string | undefined,
): Facet {
  return eraFacet(
    level,
    says,
    (form) => (o) => {
      if (o.transport !== 'http') return o.transport === 'none' ? o.error : 'not an HTTP reply';
      const want = code(form);
      return o.status === want ? null : `got HTTP ${o.status} (this era answers ${want})`;
    },
    explain,
  );
}

/** A reply OctoPrint could give: one of `statuses`, errors as the era sends them (JSON 1.6+, text before). */
export function eraReply(statuses: readonly number[], level: Level = 'must'): Facet {
  const json = flaskReply(statuses, 'json', level);
  const text = flaskReply(statuses, 'json-or-text', level);
  return eraFacet(level, `${json.says} (1.4–1.5: or text)`, (form) => (form.jsonErrors ? json : text).verify);
}
