/**
 * How a Python 2 server turns values into text, for wire strings built with `'%s' % value` and `%r`
 * (RhodeCode's error messages echo arguments this way). Browser-safe: no Node modules.
 */

/** Python 2 `repr()` of a unicode string: u'...' is not shown by `%s`, but `%r` of a str shows '...'. */
export function pyStringRepr(text: string, prefix = ''): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code > 0x7f && prefix === 'u')
      out += code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${prefix}${quote}${out}${quote}`;
}

function pyNumber(n: number): string {
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
  const s = String(n);
  return /e/.test(s) ? s.replace(/e([+-])(\d)$/, 'e$10$2') : s;
}

/** `repr()` of a decoded JSON value, as Python 2 shows it (JSON strings decode to unicode: u'...'). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return pyStringRepr(value, 'u');
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${pyStringRepr(k, 'u')}: ${pyRepr(v)}`)
      .join(', ')}}`;
  return String(value);
}

/** `'%s' % value`: strings as they are, everything else as its repr. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

/** Python truthiness of a decoded JSON value. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** `isinstance(value, (int, long))`: JSON integers, and booleans (bool is an int subclass in Python). */
export function pyIsInt(value: unknown): value is number | boolean {
  return typeof value === 'boolean' || (typeof value === 'number' && Number.isInteger(value));
}

/** Python equality between a decoded JSON value and an integer (`userid != apiuser.user_id`). */
export function pyEqualsInt(value: unknown, n: number): boolean {
  if (typeof value === 'boolean') return (value ? 1 : 0) === n;
  return typeof value === 'number' && value === n;
}
