import type { Redact } from './redact.js';
import type { CheckRecord } from '../spec/check.js';

/** Every string in a value, redacted (objects and arrays are copied). */
function redactStrings<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactStrings(v, redact)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v, redact)])) as T;
  }
  return value;
}

/**
 * A record as every writer gets it (console, JUnit, JSON, HTML, Markdown): whatever the checks kept,
 * what they sent and received and said is redacted once more here. Ids and declared names stay as they are.
 */
export function redactRecord(record: CheckRecord, redact: Redact): CheckRecord {
  return {
    ...record,
    title: redact(record.title),
    facets: redactStrings(record.facets, redact),
    exchanges: redactStrings(record.exchanges, redact),
    ...(record.skipped !== undefined ? { skipped: redact(record.skipped) } : {}),
    ...(record.broken !== undefined ? { broken: redact(record.broken) } : {}),
  };
}
