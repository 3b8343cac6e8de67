import { LANGUAGE_ALIASES, LANGUAGES, SCRIPTS, WITH_SCRIPT } from './qt-locales.generated.js';

/**
 * QLocale(name).name() as nymead 1.15.2 answers it in JSONRPC.Hello's `locale` (Qt 5.15.8): the name is split
 * as Qt's qt_splitLocaleName does, then looked up in Qt's locale data (qt-locales.generated.ts, read from a
 * real server by scripts/gen-nymea-locales.mjs). What names no language Qt has data for reads as "C".
 *
 * - a tag is up to 8 ASCII letters or digits; tags are separated by `_`, `-`, `.` or `@`; the first tag is the
 *   language (2 or 3 letters, any case), the next a script if it is exactly one of Qt's script codes (title
 *   case: `zh_Hant`, not `zh_hant`), else the territory; after a script comes the territory; the rest is
 *   ignored (`de_AT.UTF-8`, `en_US_POSIX`). Any other character in the language tag, or a language tag that
 *   does not end in a separator or the end (`" de"`, `"de "`), gives "C";
 * - a territory the language has data for (with that script) is kept; any other gives the language's (and
 *   script's) default: `de` → `de_DE`, `de_JP` → `de_DE`, `zh-Hant` → `zh_TW`, `pt` → `pt_BR`; the name never
 *   shows the script.
 */
export function qtLocaleName(name: string): string {
  const parts = splitLocaleName(name);
  if (!parts) return 'C';
  const lower = parts.language.toLowerCase();
  const language = LANGUAGE_ALIASES[lower] ?? lower;
  const data = LANGUAGES[language];
  if (!data) return 'C';
  const withScript = parts.script === undefined ? undefined : WITH_SCRIPT[`${language}_${parts.script}`];
  const fallback = withScript?.[0] ?? data[0];
  const territory = parts.territory?.toUpperCase();
  const has =
    territory !== undefined &&
    (territory === data[0] || data[1].split(' ').includes(territory)) &&
    !(withScript?.[1].split(' ').includes(territory) ?? false);
  return `${language}_${has ? territory : fallback}`;
}

const SEPARATORS = '_-.@';
const TAG_CHAR = /^[A-Za-z0-9]$/;

interface LocaleParts {
  readonly language: string;
  readonly script?: string;
  readonly territory?: string;
}

/** Qt 5.15's qt_splitLocaleName; undefined where it fails (no language tag of 2 or 3 characters). */
function splitLocaleName(name: string): LocaleParts | undefined {
  let language: string | undefined;
  let script: string | undefined;
  let territory: string | undefined;
  let state: 'language' | 'script' | 'territory' | 'done' = 'language';
  let i = 0;
  while (i < name.length && state !== 'done') {
    // parse_locale_tag: up to 8 Latin letters or digits, up to a separator; any other character fails it.
    let value = '';
    let ok = true;
    while (i < name.length && value.length < 8) {
      const c = name[i] as string;
      if (SEPARATORS.includes(c)) break;
      if (!TAG_CHAR.test(c)) {
        ok = false;
        break;
      }
      value += c;
      i++;
    }
    if (!ok || value === '') break;
    const sep = i < name.length ? name[i] : undefined;
    if (state === 'language') {
      if (sep !== undefined && !SEPARATORS.includes(sep)) break;
      language = value;
      state = i === name.length ? 'done' : 'script';
    } else if (state === 'script') {
      if (value.length === 4 && SCRIPTS.has(value)) {
        script = value;
        state = 'territory';
      } else {
        territory = value;
        state = 'done';
      }
    } else {
      territory = value;
      state = 'done';
    }
    i++;
  }
  if (language === undefined || (language.length !== 2 && language.length !== 3)) return undefined;
  return {
    language,
    ...(script !== undefined ? { script } : {}),
    ...(territory !== undefined ? { territory } : {}),
  };
}
