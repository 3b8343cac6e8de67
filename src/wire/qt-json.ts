import { parseOrdered } from './ordered-json.js';
import { takeParsed } from './parsed-once.js';
import { hasLoneSurrogate, NOT_UTF8 } from './text.js';
import { isKeptList, WrittenJson } from './written.js';

/**
 * JSON as Qt reads and writes it (QJsonDocument), for servers built on Qt such as nymea:
 * - `parseQtJson` follows Qt's parser step by step, so a malformed document fails with the message Qt
 *   gives (`QJsonParseError::errorString()`): "illegal value", "garbage at the end of the document"...
 *   The top level must be an object or an array; nesting is limited to 1024 levels.
 * - `qtCompact` writes a value as `QJsonDocument::toJson(Compact)` does for a QVariantMap: no whitespace,
 *   object keys in alphabetical (UTF-16 code unit) order, at every level.
 */

export const QT_JSON_ERRORS = {
  UnterminatedObject: 'unterminated object',
  MissingNameSeparator: 'missing name separator',
  UnterminatedArray: 'unterminated array',
  MissingValueSeparator: 'missing value separator',
  IllegalValue: 'illegal value',
  TerminationByNumber: 'invalid termination by number',
  IllegalNumber: 'illegal number',
  IllegalEscapeSequence: 'invalid escape sequence',
  IllegalUTF8String: 'invalid UTF8 string',
  UnterminatedString: 'unterminated string',
  MissingObject: 'object is missing after a comma',
  DeepNesting: 'too deeply nested document',
  DocumentTooLarge: 'too large document',
  GarbageAtEnd: 'garbage at the end of the document',
} as const;

/** A failure's `offset` is where Qt's QJsonParseError points: for garbage at the end, where the garbage starts. */
export type QtJsonResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string; readonly offset?: number };

const NESTING_LIMIT = 1024;

class QtParseError extends Error {}

/** Set a key without ever touching a prototype (`__proto__` is an ordinary key in JSON; only it has a setter). */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Qt's parse, quickly where it cannot differ from JSON.parse: a text JSON.parse takes as an object or a list
 * is one Qt takes too, with the same value (same whitespace, numbers, escapes; the last of a repeated key
 * wins in the first one's place; `__proto__` an own key), unless it nests deeper than Qt allows (a text of
 * at most 2 × NESTING_LIMIT characters cannot) or holds bytes that were not UTF-8 (Qt refuses them in a
 * string). Anything else JSON.parse refuses goes through Qt's steps, for Qt's error (and its leniencies).
 */
export function parseQtJson(text: string): QtJsonResult {
  if (text.length <= 2 * NESTING_LIMIT && !text.includes(NOT_UTF8)) {
    const quick = parseQuickly(text);
    if (quick !== undefined) return { ok: true, value: quick };
  }
  return parseQtJsonStepwise(text);
}

/**
 * A number Qt's toDouble refuses (a real nymead says "illegal number"): past the double range (1e400, 1.8e308)
 * or so small that it reads as 0 although a digit is not (2e-324, 1e-400); 3e-324 is 5e-324, 0e400 is 0.
 */
function outOfRange(literal: string, value: number): boolean {
  if (!Number.isFinite(value)) return true;
  return value === 0 && /[1-9]/.test(literal.replace(/[eE].*$/, ''));
}

/** A text that may hold a number outside the double range: a 3-digit exponent or a long run of digits. */
const MAYBE_OUT_OF_RANGE = /[eE][+-]?[0-9]{3}|[0-9]{300}/;

/** JSON.parse's object or list, or undefined where it refuses the text or finds another value. */
function parseQuickly(text: string): object | undefined {
  // JSON.parse reads 1e400 as Infinity and 1e-400 as 0, where Qt refuses the document: Qt's steps decide.
  if (MAYBE_OUT_OF_RANGE.test(text)) return undefined;
  try {
    const value = takeParsed(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Qt's parser step by step (parseQtJson takes the quick way where it may). */
export function parseQtJsonStepwise(text: string): QtJsonResult {
  let i = 0;
  let nesting = 0;
  const end = text.length;
  // Bytes that were not UTF-8 (NOT_UTF8): Qt refuses them inside a string.
  const mayHoldBadBytes = text.includes(NOT_UTF8);
  const fail = (error: string): never => {
    throw new QtParseError(error);
  };
  // Qt's eatSpace: only space, tab, LF and CR; anything else (even other control characters) stops it.
  const eatSpace = (): boolean => {
    while (i < end) {
      const c = text[i];
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') break;
      i++;
    }
    return i < end;
  };
  // Qt's nextToken: the next structural character (consumed), or 0 for anything else (also consumed).
  const nextToken = (): string => {
    if (!eatSpace()) return '';
    const c = text[i++] as string;
    return '[{:,]}"'.includes(c) ? c : '';
  };

  const parseString = (): string => {
    // Most strings have no escape: take them in one slice.
    const quote = text.indexOf('"', i);
    const backslash = text.indexOf('\\', i);
    if (quote >= 0 && (backslash < 0 || backslash > quote)) {
      const out = text.slice(i, quote);
      if (mayHoldBadBytes && hasLoneSurrogate(out)) fail(QT_JSON_ERRORS.IllegalUTF8String);
      i = quote + 1;
      if (i >= end) fail(QT_JSON_ERRORS.UnterminatedString);
      return out;
    }
    let out = '';
    while (i < end) {
      const c = text[i] as string;
      if (c === '"') break;
      if (c === '\\') {
        i++;
        if (i >= end) fail(QT_JSON_ERRORS.IllegalEscapeSequence);
        const e = text[i++] as string;
        const simple = SIMPLE_ESCAPES;
        if (e === 'u') {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(QT_JSON_ERRORS.IllegalEscapeSequence);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else {
          // Qt is lenient here: an unknown escape stands for the character itself.
          out += simple[e] ?? e;
        }
        continue;
      }
      if (mayHoldBadBytes && c === NOT_UTF8 && !/[\ud800-\udbff]/.test(text[i - 1] ?? ''))
        fail(QT_JSON_ERRORS.IllegalUTF8String);
      out += c;
      i++;
    }
    i++;
    if (i >= end) fail(QT_JSON_ERRORS.UnterminatedString);
    return out;
  };

  const parseNumber = (): number => {
    const start = i;
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else while (i < end && isDigit(text.charCodeAt(i))) i++;
    if (text[i] === '.') {
      i++;
      while (i < end && isDigit(text.charCodeAt(i))) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '-' || text[i] === '+') i++;
      while (i < end && isDigit(text.charCodeAt(i))) i++;
    }
    if (i >= end) fail(QT_JSON_ERRORS.TerminationByNumber);
    const literal = text.slice(start, i);
    // QByteArray::toDouble must read the whole literal: "", "-", "1e" are not numbers.
    if (!/^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(literal)) fail(QT_JSON_ERRORS.IllegalNumber);
    const value = Number(literal);
    if (outOfRange(literal, value)) fail(QT_JSON_ERRORS.IllegalNumber);
    return value;
  };

  const parseWord = (rest: string, minimum: number, value: unknown): unknown => {
    // Qt checks that enough bytes remain before comparing ("nul}" is an illegal value, not an unterminated one).
    if (end - i < minimum) fail(QT_JSON_ERRORS.IllegalValue);
    if (text.slice(i, i + rest.length) !== rest) fail(QT_JSON_ERRORS.IllegalValue);
    i += rest.length;
    return value;
  };

  const parseValue = (): unknown => {
    const c = text[i++];
    switch (c) {
      case 'n':
        return parseWord('ull', 4, null);
      case 't':
        return parseWord('rue', 4, true);
      case 'f':
        return parseWord('alse', 5, false);
      case '"':
        return parseString();
      case '[':
        return parseArray();
      case '{':
        return parseObject();
      case ',':
        return fail(QT_JSON_ERRORS.IllegalValue);
      case '}':
      case ']':
        return fail(QT_JSON_ERRORS.MissingObject);
      default:
        i--;
        return parseNumber();
    }
  };

  const parseObject = (): Record<string, unknown> => {
    if (++nesting > NESTING_LIMIT) fail(QT_JSON_ERRORS.DeepNesting);
    const object: Record<string, unknown> = {};
    let token = nextToken();
    while (token === '"') {
      const key = parseString();
      if (nextToken() !== ':') fail(QT_JSON_ERRORS.MissingNameSeparator);
      if (!eatSpace()) fail(QT_JSON_ERRORS.UnterminatedObject);
      setKey(object, key, parseValue());
      token = nextToken();
      if (token !== ',') break;
      token = nextToken();
      if (token === '}') fail(QT_JSON_ERRORS.MissingObject);
    }
    if (token !== '}') fail(QT_JSON_ERRORS.UnterminatedObject);
    nesting--;
    return object;
  };

  const parseArray = (): unknown[] => {
    if (++nesting > NESTING_LIMIT) fail(QT_JSON_ERRORS.DeepNesting);
    const list: unknown[] = [];
    if (!eatSpace()) fail(QT_JSON_ERRORS.UnterminatedArray);
    if (text[i] === ']') {
      nextToken();
    } else {
      for (;;) {
        if (!eatSpace()) fail(QT_JSON_ERRORS.UnterminatedArray);
        list.push(parseValue());
        const token = nextToken();
        if (token === ']') break;
        if (token !== ',') fail(eatSpace() ? QT_JSON_ERRORS.MissingValueSeparator : QT_JSON_ERRORS.UnterminatedArray);
      }
    }
    nesting--;
    return list;
  };

  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    const token = nextToken();
    let value: unknown;
    if (token === '[') value = parseArray();
    else if (token === '{') value = parseObject();
    else fail(QT_JSON_ERRORS.IllegalValue);
    eatSpace();
    if (i < end) return { ok: false, error: QT_JSON_ERRORS.GarbageAtEnd, offset: i };
    return { ok: true, value };
  } catch (error) {
    if (error instanceof QtParseError) return { ok: false, error: error.message };
    throw error;
  }
}

/** A value already written by qtCompact (src/wire/written.ts): spliced in wherever a message holds it. */
export class QtText extends WrittenJson {}

/** The text of each kept list (src/wire/written.ts): written once. */
const listTexts = new WeakMap<readonly unknown[], string>();

/** Compact JSON with object keys sorted at every level, as Qt writes a QVariantMap. */
export function qtCompact(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (value instanceof QtText) return value.text;
  if (Array.isArray(value)) {
    const kept = isKeptList(value) ? listTexts.get(value) : undefined;
    if (kept !== undefined) return kept;
    let out = '[';
    for (let i = 0; i < value.length; i++)
      out += (i > 0 ? ',' : '') + (value[i] === undefined ? 'null' : qtCompact(value[i]));
    if (isKeptList(value)) listTexts.set(value, `${out}]`);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as Qt orders QVariantMap keys.
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const v = object[key];
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${qtCompact(v)}`;
  }
  return `${out}}`;
}

/** Are the object keys of this JSON text in alphabetical order at every level? Throws on text that is not JSON. */
export function keysSorted(text: string): boolean {
  let ok = true;
  const check = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(check);
    else if (value instanceof Map) {
      const keys = [...value.keys()] as string[];
      for (let k = 1; k < keys.length; k++) if ((keys[k - 1] as string) > (keys[k] as string)) ok = false;
      for (const v of value.values()) check(v);
    }
  };
  check(parseOrdered(text));
  return ok;
}
