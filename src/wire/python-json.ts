/**
 * JSON as Python's `json` module reads and writes it, for servers written in Flask (OctoPrint):
 * - parsing accepts what `json.loads` accepts (NaN, Infinity, -Infinity too) and fails with the message
 *   `json.loads` gives (`Expecting value: line 1 column 1 (char 0)`), which Flask puts into its 400 text;
 * - writing sorts keys and escapes non-ASCII like `json.dumps(sort_keys=True, ensure_ascii=True)`, compact
 *   (Flask 2.2+: separators `,` and `:`) or indented by 2 (Flask 0.x outside XHR requests).
 * Python 3.12's messages; positions count characters (code points), as Python's do.
 */

export type PythonJsonResult =
  | { readonly ok: true; readonly value: unknown }
  /** `fatal`: not a ValueError (Python's RecursionError on deep nesting), so Flask answers 500, not 400. */
  | { readonly ok: false; readonly message: string; readonly fatal?: true };

/** Python's default recursion limit is 1000 frames; json.loads uses about one per nesting level. */
const MAX_DEPTH = 990;
class PyRecursionError extends Error {}

class PyJsonError extends Error {
  constructor(
    readonly what: string,
    readonly at: number,
  ) {
    super(what);
  }
}

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /^(-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?/;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Where a character index lies, in Python's words: `line 1 column 3 (char 2)`. */
function position(chars: readonly string[], at: number): string {
  let line = 1;
  let lastNewline = -1;
  for (let i = 0; i < at && i < chars.length; i++) {
    if (chars[i] === '\n') {
      line += 1;
      lastNewline = i;
    }
  }
  return `line ${line} column ${at - lastNewline} (char ${at})`;
}

export function parsePythonJson(text: string): PythonJsonResult {
  // json.loads(bytes) decodes with utf-8-sig, so a byte order mark is dropped.
  const chars = [...(text.startsWith('\uFEFF') ? text.slice(1) : text)];
  let i = 0;
  const skip = () => {
    while (i < chars.length && WS.has(chars[i] as string)) i++;
  };
  const rest = (n: number) => chars.slice(i, i + n).join('');

  const string = (): string => {
    const start = i - 1;
    let out = '';
    for (;;) {
      if (i >= chars.length) throw new PyJsonError('Unterminated string starting at', start);
      const c = chars[i] as string;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = chars[i + 1];
        if (e === undefined) throw new PyJsonError('Unterminated string starting at', start);
        if (e === 'u') {
          const hex = chars.slice(i + 2, i + 6).join('');
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PyJsonError('Invalid \\uXXXX escape', i + 1);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        const mapped = ESCAPES[e];
        if (mapped === undefined) throw new PyJsonError('Invalid \\escape', i);
        out += mapped;
        i += 2;
        continue;
      }
      if (c < ' ') throw new PyJsonError('Invalid control character at', i);
      out += c;
      i++;
    }
  };

  let depth = 0;
  const nested = <T>(read: () => T): T => {
    if (++depth > MAX_DEPTH) throw new PyRecursionError('maximum recursion depth exceeded');
    try {
      return read();
    } finally {
      depth--;
    }
  };

  const value = (): unknown => {
    const c = chars[i];
    if (c === '"') {
      i++;
      return string();
    }
    if (c === '{') return nested(object);
    if (c === '[') return nested(array);
    if (rest(4) === 'null') return ((i += 4), null);
    if (rest(4) === 'true') return ((i += 4), true);
    if (rest(5) === 'false') return ((i += 5), false);
    if (rest(3) === 'NaN') return ((i += 3), NaN);
    if (rest(8) === 'Infinity') return ((i += 8), Infinity);
    if (rest(9) === '-Infinity') return ((i += 9), -Infinity);
    const m = NUMBER.exec(chars.slice(i, i + 400).join(''));
    if (m) {
      i += m[0].length;
      return Number(m[0]);
    }
    throw new PyJsonError('Expecting value', i);
  };

  const object = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    i++;
    skip();
    if (chars[i] === '}') return (i++, out);
    for (;;) {
      if (chars[i] !== '"') throw new PyJsonError('Expecting property name enclosed in double quotes', i);
      i++;
      const key = string();
      skip();
      if (chars[i] !== ':') throw new PyJsonError("Expecting ':' delimiter", i);
      i++;
      skip();
      out[key] = value();
      skip();
      const next = chars[i];
      i++;
      if (next === '}') return out;
      if (next !== ',') throw new PyJsonError("Expecting ',' delimiter", i - 1);
      skip();
    }
  };

  const array = (): unknown[] => {
    const out: unknown[] = [];
    i++;
    skip();
    if (chars[i] === ']') return (i++, out);
    for (;;) {
      out.push(value());
      skip();
      const next = chars[i];
      i++;
      if (next === ']') return out;
      if (next !== ',') throw new PyJsonError("Expecting ',' delimiter", i - 1);
      skip();
    }
  };

  try {
    skip();
    const result = value();
    skip();
    if (i !== chars.length) throw new PyJsonError('Extra data', i);
    return { ok: true, value: result };
  } catch (error) {
    if (error instanceof PyJsonError) return { ok: false, message: `${error.what}: ${position(chars, error.at)}` };
    return {
      ok: false,
      message: 'maximum recursion depth exceeded while decoding a JSON array from a unicode string',
      fatal: true,
    };
  }
}

const NON_ASCII = /[\u007f-\uffff]/;
const NON_ASCII_ALL = /[\u007f-\uffff]/g;

function asciiString(s: string): string {
  const json = JSON.stringify(s);
  // Most strings are plain ASCII: only those with other characters need the escaping pass.
  return NON_ASCII.test(s)
    ? json.replace(NON_ASCII_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : json;
}

function number(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return JSON.stringify(n);
}

export interface DumpOptions {
  /** Indent nested values by this many spaces, one per line. */
  readonly indent?: number;
  /** Python's `separators` (item, key). Default: `,` `:` (Flask 2.2+); with an indent `,` `: `. */
  readonly separators?: readonly [string, string];
  /** Python's `sort_keys` (default true, as the servers here write); false keeps the keys in their order. */
  readonly sortKeys?: boolean;
}

/** What has no compact native form: a key JavaScript would reorder (integer-like), a number that is not finite. */
const UNFIT = Symbol('unfit');

/** A deep copy with every object's keys sorted (undefined values dropped), for the native serialiser. */
function sortedDeepCopy(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : UNFIT;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const list: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = sortedDeepCopy(value[i]);
      if (v === UNFIT) return UNFIT;
      list[i] = v;
    }
    return list;
  }
  const object = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(object).sort()) {
    const c = key.charCodeAt(0);
    if (c >= 48 && c <= 57 && /^(?:0|[1-9][0-9]*)$/.test(key)) return UNFIT;
    if (key === '__proto__') return UNFIT;
    if (object[key] === undefined) continue;
    const v = sortedDeepCopy(object[key]);
    if (v === UNFIT) return UNFIT;
    copy[key] = v;
  }
  return copy;
}

/**
 * The compact form (Flask's separators, no indent) through the native serialiser: a copy with sorted keys,
 * non-ASCII escaped afterwards. Integer-like keys would be reordered by JavaScript, and numbers that are
 * not finite have no JSON form: both go the slow way (undefined here).
 */
function compactPythonJson(value: unknown): string | undefined {
  const copy = sortedDeepCopy(value);
  if (copy === UNFIT) return undefined;
  const json = JSON.stringify(copy);
  if (json === undefined) return 'null';
  return NON_ASCII.test(json)
    ? json.replace(NON_ASCII_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : json;
}

/** `json.dumps(value, sort_keys=True, ensure_ascii=True, ...)` (sort_keys as `options.sortKeys` says). */
export function dumpPythonJson(value: unknown, options: DumpOptions = {}): string {
  const { indent } = options;
  const sortKeys = options.sortKeys ?? true;
  if (indent === undefined && options.separators === undefined && sortKeys) {
    const fast = compactPythonJson(value);
    if (fast !== undefined) return fast;
  }
  const [comma, colon] = options.separators ?? (indent === undefined ? [',', ':'] : [',', ': ']);
  const write = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') return number(v);
    if (typeof v === 'string') return asciiString(v);
    const pad = indent === undefined ? '' : `\n${' '.repeat(indent * (depth + 1))}`;
    const close = indent === undefined ? '' : `\n${' '.repeat(indent * depth)}`;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[${v.map((x) => pad + write(x, depth + 1)).join(comma)}${close}]`;
    }
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return '{}';
    if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${pad}${asciiString(k)}${colon}${write(x, depth + 1)}`).join(comma)}${close}}`;
  };
  return write(value, 0);
}
