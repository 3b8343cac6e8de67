import type { CredentialPositions } from '../spec/protocol.js';

/** What a credential's value becomes: the marker of the given secret it is, else `<redacted>`. */
export type MarkerFor = (value: string) => string;

/** Text a redaction left: never redacted again (`Basic <--admin>` stays as it is). */
export const MARKER = /<--[a-z0-9-]+>|<redacted>/g;
const IS_MARKER = /^(?:<--[a-z0-9-]+>|<redacted>)$/;

/** HTTP's own credential headers; a protocol declares the others. */
const HTTP_CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization'];
const COOKIE_HEADERS = ['cookie', 'set-cookie'];
const AUTH_SCHEMES = /^(basic|bearer|token|digest|negotiate|apikey)$/i;
const COOKIE_ATTRIBUTES = /^(expires|max-age|domain|path|samesite|secure|httponly|priority|partitioned)$/i;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternation = (names: readonly string[]) => [...new Set(names)].map(escape).join('|');

/** Nothing there to hide: empty, a marker already, or a value the server masked (RhodeCode's 40 `*`). */
const keep = (value: string) => value.trim() === '' || IS_MARKER.test(value) || /^\*+$/.test(value);

/**
 * Remove every credential found by where it is, whatever its value: credential headers (keeping the scheme:
 * `Basic <--admin>`), cookie values, the declared JSON members (a string, or each string of a list; in
 * JSON, JSON inside a JSON string, or Python's repr), query and form parameters, and URL passwords.
 */
export function positionRedactor(
  positions: readonly CredentialPositions[],
  markerFor: MarkerFor,
): (text: string) => string {
  const headers = alternation([...HTTP_CREDENTIAL_HEADERS, ...positions.flatMap((p) => p.headers)]);
  const fields = alternation(positions.flatMap((p) => p.fields));
  // A header as a line of an HTTP message (the value runs to the line's end), inside a curl line's
  // `-H 'name: value'` (to the closing quote; `'\\''` is a quote inside), or in other text (to a quote).
  const headerForms = (names: string) => [
    new RegExp(`(^|\\n)(${names})([ \\t]*:[ \\t]*)([^\\r\\n]*)`, 'gi'),
    new RegExp(`(')(${names})([ \\t]*:[ \\t]*)((?:[^'\\r\\n]|'\\\\'')*)`, 'gi'),
    new RegExp(`((?<![\\w-]))(${names})([ \\t]*:[ \\t]*)([^\\r\\n'"\\\\]*)`, 'gi'),
  ];
  const header = headerForms(headers);
  const cookies = headerForms(alternation(COOKIE_HEADERS));
  const member = fields === '' ? undefined : new RegExp(`(\\\\?["'])(${fields})\\1\\s*:\\s*`, 'gi');
  const param = fields === '' ? undefined : new RegExp(`(^|[?&;\\s'"])(${fields})=([^&\\s'"#;\\\\]*)`, 'gi');

  const headerValue = (value: string): string => {
    const m = /^(\S+)([ \t]+)(.*?)(\s*)$/.exec(value);
    if (m && AUTH_SCHEMES.test(m[1]!)) {
      return keep(m[3]!) ? value : `${m[1]}${m[2]}${markerFor(m[3]!)}${m[4]}`;
    }
    if (AUTH_SCHEMES.test(value.trim()) || keep(value)) return value;
    const trimmed = value.trimEnd();
    return markerFor(trimmed) + value.slice(trimmed.length);
  };
  const cookieValue = (value: string) =>
    value.replace(/(^|[;,][ \t]*)([^=;,\s]+)=([^;,]*)/g, (all, lead: string, name: string, v: string) =>
      COOKIE_ATTRIBUTES.test(name) || keep(v) ? all : `${lead}${name}=${markerFor(v)}`,
    );

  // Most texts name no such header: one search instead of three.
  const anyHeader = new RegExp(headers, 'i');
  const inHeaders = (text: string, forms: readonly RegExp[], redactValue: (value: string) => string) =>
    forms.reduce(
      (t, form) =>
        t.replace(
          form,
          (_all, lead: string, name: string, colon: string, value: string) =>
            `${lead}${name}${colon}${redactValue(value)}`,
        ),
      text,
    );
  const userinfo = /\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@'"]*:)([^@\s/'"]+)@/gi;

  return (text) => {
    let out = anyHeader.test(text) ? inHeaders(text, header, headerValue) : text;
    if (/cookie/i.test(out)) out = inHeaders(out, cookies, cookieValue);
    if (member) out = redactMembers(out, member, markerFor);
    const inParams = (all: string, lead: string, name: string, v: string) =>
      keep(v) ? all : `${lead}${name}=${markerFor(v)}`;
    if (param) out = out.replace(param, inParams);
    if (!out.includes('://')) return out;
    return out.replace(userinfo, (all, head: string, pw: string) => (keep(pw) ? all : `${head}${markerFor(pw)}@`));
  };
}

/** Replace the value after each `"name":` the pattern finds: a string in the key's own quoting, or a list of them. */
function redactMembers(text: string, member: RegExp, markerFor: MarkerFor): string {
  let out = '';
  let from = 0;
  member.lastIndex = 0;
  for (let m = member.exec(text); m; m = member.exec(text)) {
    const quote = m[1]!;
    const start = m.index + m[0].length;
    let end = start;
    let value: string;
    // Python 2 writes u'…' (RhodeCode's error texts).
    const prefix = /^[ub]?/.exec(text.slice(start, start + 1 + quote.length))![0];
    if (text.startsWith(quote, start + prefix.length)) {
      const open = start + prefix.length + quote.length;
      const close = stringEnd(text, open, quote);
      // Not closed: a message clipped inside the value (`"apikey":"Zq7…`); the rest of the line goes.
      const eol = lineEnd(text, open);
      const stop = close >= 0 ? close : eol - (text[eol - 1] === '…' ? 1 : 0);
      const inner = text.slice(open, stop);
      value = prefix + quote + (keep(inner) ? inner : markerFor(inner)) + (close >= 0 ? quote : '');
      end = close >= 0 ? close + quote.length : stop;
    } else if (text[start] === '[') {
      const list = redactList(text, start, quote, markerFor);
      if (!list) continue;
      ({ value, end } = list);
    } else continue;
    out += text.slice(from, start) + value;
    from = end;
    member.lastIndex = end;
  }
  return out + text.slice(from);
}

/** A list of strings from `[` at `start`: each string redacted; undefined when it is not one. */
function redactList(
  text: string,
  start: number,
  quote: string,
  markerFor: MarkerFor,
): { value: string; end: number } | undefined {
  let value = '[';
  let i = start + 1;
  for (;;) {
    const gap = /^[\s,]*/.exec(text.slice(i, i + 64))![0];
    value += gap;
    i += gap.length;
    if (text[i] === ']') return { value: `${value}]`, end: i + 1 };
    if (!text.startsWith(quote, i)) return undefined;
    const close = stringEnd(text, i + quote.length, quote);
    if (close < 0) return undefined;
    const inner = text.slice(i + quote.length, close);
    value += quote + (keep(inner) ? inner : markerFor(inner)) + quote;
    i = close + quote.length;
  }
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline;
}

/** Where a string that opened with `quote` closes (the next unescaped one); -1 when it does not. */
function stringEnd(text: string, from: number, quote: string): number {
  if (quote.length > 1) return text.indexOf(quote, from);
  for (let i = from; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === quote) return i;
  }
  return -1;
}
