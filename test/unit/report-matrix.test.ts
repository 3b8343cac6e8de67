import { describe, expect, test } from 'vitest';
import { protocols } from '../../src/protocols/index.js';
import { citationsOf, upstreamOf } from '../../src/report/citations.js';
import { renderFailure } from '../../src/report/failure-text.js';
import { buildMatrix } from '../../src/report/matrix.js';
import type { CheckKind, CheckRecord } from '../../src/spec/check.js';

function record(method: string | null, kind: CheckKind, n: number, extra: Partial<CheckRecord> = {}): CheckRecord {
  return {
    id: `kanboard/${method ?? '-'}/${kind}/c${n}`,
    target: 'kanboard',
    protocol: 'kanboard',
    kind,
    method,
    case: `c${n}`,
    identity: null,
    title: `case ${n}`,
    see: ['kanboard.md §4'],
    facets: [{ level: 'must', says: 'x', ok: true }],
    exchanges: [],
    ...extra,
  };
}

describe('the matrix has one order, whatever order the checks finished in', () => {
  const records = [
    record(null, 'envelope', 1),
    record('getGroup', 'rights', 2),
    record('zScenarioOnly', 'lifecycle', 3),
    record('createUser', 'shapes', 4),
    record('aScenarioOnly', 'lifecycle', 5),
    record('createUser', 'errors', 6),
  ];
  test.each([0, 1, 2, 3])('shuffle %i', (seed) => {
    const shuffled = [...records].sort(
      (a, b) => ((a.case.charCodeAt(1) * (seed + 3)) % 7) - ((b.case.charCodeAt(1) * (seed + 3)) % 7),
    );
    const m = buildMatrix(shuffled, 'must', ['createUser', 'getGroup']);
    expect(m.kinds).toEqual(['shapes', 'errors', 'rights', 'lifecycle', 'envelope']);
    expect(m.rows.map((r) => r.method)).toEqual([
      'createUser',
      'getGroup',
      'aScenarioOnly',
      'zScenarioOnly',
      '(protocol)',
    ]);
  });
});

describe('references cite what a user can open', () => {
  const sources = protocols['kanboard']!.sources;
  test('a section, a subsection that falls back to its section, a named subsection, the whole file', () => {
    expect(upstreamOf('kanboard.md §2', sources)).toEqual(sources['§2']);
    expect(upstreamOf('kanboard.md §7.4', sources)).toEqual(sources['§7']);
    expect(upstreamOf('kanboard.md §6 Users', sources)).toEqual(sources['§6 Users']);
    expect(upstreamOf('seed 004', sources)).toEqual(sources['']);
    expect(upstreamOf('octoprint.md §4.3, §6.6', protocols['octoprint']!.sources).length).toBeGreaterThan(1);
  });

  test.each(Object.keys(protocols))(
    '%s: every source is an https URL of upstream docs or source, and §1 has one',
    (id) => {
      const s = protocols[id]!.sources;
      for (const links of Object.values(s))
        for (const url of links) expect(url).toMatch(/^https:\/\/(docs\.kanboard\.org|github\.com)\//);
      expect(s[''].length).toBeGreaterThan(0);
      expect(citationsOf(id, [`${id}.md §1`])[`${id}.md §1`]!.length).toBeGreaterThan(0);
    },
  );

  test('a failure names the upstream source beside the section', () => {
    const text = renderFailure(
      record('getGroup', 'rights', 7, {
        facets: [{ level: 'must', says: 'HTTP status 403', ok: false, mismatch: 'got 200' }],
      }),
    );
    expect(text).toContain(
      'see kanboard.md §4 (https://github.com/kanboard/kanboard/blob/main/app/Api/Authorization/ProcedureAuthorization.php',
    );
  });
});
