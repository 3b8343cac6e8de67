import type { CheckRecord } from '../spec/check.js';
import { citationsOf } from './citations.js';

const MAX_MESSAGE = 1200;

function clipBlock(text: string, max = MAX_MESSAGE): string {
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}

function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

/**
 * A failing check in plain text: what was expected (and where that comes from), what came back, what was
 * sent, and a line to reproduce it. The console and JUnit show this same text.
 */
export function renderFailure(record: CheckRecord): string {
  const lines = [`${record.id} — ${record.title}`];
  if (record.broken) lines.push(`  could not run: ${record.broken}`);
  for (const f of record.facets.filter((x) => !x.ok)) {
    lines.push(`  expected [${f.level}] ${f.says}`, `       but ${f.mismatch ?? 'it did not hold'}`);
    if (f.note) lines.push(`      note ${f.note}`);
  }
  // accord's notes by section, and the upstream docs or source a reader can open.
  const citations = citationsOf(record.protocol, record.see);
  for (const see of record.see)
    lines.push(`  see ${see}${citations[see]!.length ? ` (${citations[see]!.join(', ')})` : ''}`);
  const last = record.exchanges.at(-1);
  if (last) {
    if (last.step) lines.push(`  step ${last.step}`);
    lines.push(
      '  sent:',
      indent(clipBlock(last.request)),
      '  received:',
      indent(clipBlock(last.response)),
      `  reproduce: ${clipBlock(last.reproduce, 600)}`,
    );
  }
  return lines.join('\n');
}
