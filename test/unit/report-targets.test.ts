import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { RunPlan, TargetConfig } from '../../src/client/target.js';
import { reportTargets, type RunTimes } from '../../src/commands/check/report-targets.js';
import { REPORT_FILES } from '../../src/report/write.js';
import type { CheckRecord } from '../../src/spec/check.js';
import { base64FromUtf8 } from '../../src/wire/text.js';

const made: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-report-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** The reports of each target: redacted with its secrets, written, shown; and its verdict. */
const TOKEN = 'Tk9-strong_App.Token/42+xyz';
const target: TargetConfig = {
  name: 'kb',
  protocol: 'kanboard',
  url: 'http://127.0.0.1:1',
  given: { appToken: TOKEN },
  mock: false,
};
const plan: RunPlan = {
  runId: 'abc123',
  prefix: 'accord_abc123',
  gate: 'must',
  targets: [target],
  selection: { kinds: [], methods: [] },
  timeoutMs: 1000,
};
const times: RunTimes = { startedAt: Date.UTC(2025, 0, 2, 3, 4, 5), durationMs: 1234, stopped: undefined };

const record = (c: string, ok: boolean, more: Partial<CheckRecord> = {}): CheckRecord => ({
  id: `kanboard/getMe/shapes/${c}`,
  target: 'kb',
  protocol: 'kanboard',
  kind: 'shapes',
  method: 'getMe',
  case: c,
  identity: 'app-admin',
  title: `getMe answers ${c}`,
  see: [],
  facets: [{ level: 'must', says: 'the result is a user', ok, ...(ok ? {} : { mismatch: 'it was null' }) }],
  exchanges: [
    {
      request: `POST /jsonrpc.php\nX-API-Auth: ${base64FromUtf8(`jsonrpc:${TOKEN}`)}\n\n{"token":"${TOKEN}"}`,
      response: 'HTTP 200',
      reproduce: '',
      ms: 3,
    },
  ],
  ...more,
});
const records = [record('a', true), record('b', false), record('other', true, { target: 'someone-else' })];

interface Asked {
  readonly shard?: { index: number; count: number };
  readonly compare?: string;
  readonly quiet?: boolean;
}

function report(recordsGiven: readonly CheckRecord[], settings: Asked = {}) {
  const reports = tempDir();
  const lines: string[] = [];
  const verdicts = reportTargets(
    plan,
    recordsGiven,
    times,
    {
      reports,
      compare: settings.compare,
      quiet: settings.quiet ?? false,
      shard: settings.shard,
      shardAsked: settings.shard ? `${settings.shard.index}/${settings.shard.count}` : undefined,
    },
    (l) => lines.push(l),
  );
  return { reports, lines, verdicts, text: lines.join('\n') };
}

describe("a target's reports", () => {
  test('the four report files, of its own records, without its secrets', () => {
    const { reports, verdicts, lines } = report(records);
    expect(readdirSync(reports)).toEqual(['kb']);
    expect(readdirSync(join(reports, 'kb')).sort()).toEqual([...REPORT_FILES].sort());
    for (const file of REPORT_FILES) expect(readFileSync(join(reports, 'kb', file), 'utf8')).not.toContain(TOKEN);
    const results = JSON.parse(readFileSync(join(reports, 'kb', 'results.json'), 'utf8'));
    expect(results).toMatchObject({ runId: 'abc123', target: 'kb', protocol: 'kanboard', mock: false, gate: 'must' });
    expect(results).toMatchObject({ startedAt: '2025-01-02T03:04:05.000Z', durationMs: 1234 });
    expect(results.shard).toBeUndefined();
    expect(results.records.map((r: CheckRecord) => r.case)).toEqual(['a', 'b']);
    expect(results.records[0].exchanges[0].request).toContain('X-API-Auth: <--app-token>');
    expect(verdicts).toEqual([{ failed: true }]);
    expect(lines[0]).toBe('');
    expect(lines[1]).toMatch(/^kb: Kanboard JSON-RPC API at http:\/\/127\.0\.0\.1:1\/jsonrpc\.php/);
    expect(lines.at(-1)).toBe(`reports: ${join(reports, 'kb')}/{junit.xml,results.json,report.html,summary.md}`);
  });

  test('the failures are shown unless --quiet', () => {
    expect(report(records).text).toContain('it was null');
    expect(report(records, { quiet: true }).text).not.toContain('it was null');
  });

  test('no check ran: no reports are written (the last real ones stay), and no verdict', () => {
    const { reports, verdicts, lines } = report([record('x', true, { target: 'someone-else' })]);
    expect(readdirSync(reports)).toEqual([]);
    const line = 'accord: kb: no check ran, so this is no verdict; the reports of kb were left as they were';
    expect(lines).toEqual([line]);
    expect(verdicts).toEqual([{ failed: false, couldNotRun: line }]);
  });

  test('an empty shard still writes its reports, as shard i/n, and is no failure', () => {
    const { reports, verdicts } = report([], { shard: { index: 2, count: 3 } });
    expect(JSON.parse(readFileSync(join(reports, 'kb', 'results.json'), 'utf8')).shard).toBe('2/3');
    expect(verdicts[0]).toEqual({ failed: false });
  });

  test('most checks could not run: the reports are written, then the line that this is no verdict', () => {
    const gone = [record('a', true), record('b', true, { broken: 'it went away' }), record('c', true, { broken: 'x' })];
    const { lines, verdicts } = report(gone);
    const line = 'accord: kb: 2 of 3 checks could not run, so this is no conformance verdict; first: it went away';
    expect(lines.at(-1)).toBe(line);
    expect(lines.at(-2)).toMatch(/^reports: /);
    expect(verdicts[0]!.couldNotRun).toBe(lines.at(-1));
  });

  test('--compare: with earlier results, what changed; without, that there are none', () => {
    const first = report([record('a', true), record('b', true)]);
    const second = report(records, { compare: first.reports });
    expect(second.text).toContain('kb: 1 newly failing, 0 fixed since run abc123');
    const results = JSON.parse(readFileSync(join(second.reports, 'kb', 'results.json'), 'utf8'));
    expect(results.comparison.newlyFailing).toEqual(['kanboard/getMe/shapes/b']);
    const empty = tempDir();
    const none = report(records, { compare: empty });
    expect(none.lines[0]).toBe(`accord: --compare ${empty} has no earlier results for kb`);
    expect(existsSync(join(empty, 'kb'))).toBe(false);
  });
});
