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
