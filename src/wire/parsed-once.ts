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
 * what lies deeper). A slot of its own, so a stream parser never takes what an HTTP dialect handled.
 */
let leftByDialect: { readonly text: string; readonly value: unknown } | undefined;

export function leaveBodyParse(text: string, value: unknown): void {
  leftByDialect = { text, value };
}

/** What the dialect left for this very text, once; NOT_LEFT when it left nothing for it (the reader parses). */
export const NOT_LEFT = Symbol('not left');
export function takeBodyParse(text: string): unknown {
  const kept = leftByDialect;
  leftByDialect = undefined;
  return kept !== undefined && kept.text === text ? kept.value : NOT_LEFT;
}
