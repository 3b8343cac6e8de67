/**
 * A text's JSON.parse, handed from one reader to the next: the mock's journal parses each stream message to
 * journal it, and the dialect then parses the same text again. The journal leaves its value here
 * (`leaveParsed`); a parser that would JSON.parse that very text takes it instead (`takeParsed`), once: the
 * next reader of an equal text parses it afresh, so no two requests ever share an object. The journal only
 * reads what it left, before handing the text on.
 */
let left: { readonly text: string; readonly value: unknown } | undefined;

export function leaveParsed(text: string, value: unknown): void {
  left = { text, value };
}

/** JSON.parse(text), from what was left for this text if anything was; throws as JSON.parse does. */
export function takeParsed(text: string): unknown {
  const kept = left;
  left = undefined;
  if (kept !== undefined && kept.text === text) return kept.value;
  return JSON.parse(text);
}

/**
 * The other way round, for HTTP: the dialect parses a request's body first, and the journal reads the same
 * body once the answer is made, for its top-level `method` and `auth_token` only (a dialect may have changed
 * what lies deeper). Kept by text, several at once: under load many requests are parsed before the first
 * answer is journaled. A store of its own, so a stream parser never takes what an HTTP dialect handled.
 */
const leftByDialect = new Map<string, unknown>();
/** Parses left and never taken (a dialect that threw, a journal-less host) are dropped past this many. */
const MAX_LEFT = 256;
/** The journal parses no larger body (mock/journal.ts), so none is left: at most MAX_LEFT of these are held. */
const MAX_LEFT_CHARS = 64 * 1024;

export function leaveBodyParse(text: string, value: unknown): void {
  if (text.length > MAX_LEFT_CHARS) return;
  if (leftByDialect.size >= MAX_LEFT) leftByDialect.clear();
  leftByDialect.set(text, value);
}

/** What the dialect left for this very text, once; NOT_LEFT when it left nothing for it (the reader parses). */
export const NOT_LEFT = Symbol('not left');
export function takeBodyParse(text: string): unknown {
  if (!leftByDialect.has(text)) return NOT_LEFT;
  const value = leftByDialect.get(text);
  leftByDialect.delete(text);
  return value;
}
