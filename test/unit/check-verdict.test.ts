import { describe, expect, test } from 'vitest';
import { ASSERTED_NOTHING, settleRecord, verdictOf, type CheckRecord } from '../../src/spec/check.js';
import { renderFailure } from '../../src/report/failure-text.js';

const base: CheckRecord = {
  id: 'p/m/lifecycle/c',
  target: 't',
  protocol: 'p',
  kind: 'lifecycle',
  method: 'm',
  case: 'c',
  identity: null,
  title: 'a scenario',
  see: [],
  facets: [],
  exchanges: [],
};
const held = { level: 'must', says: 'HTTP 200', ok: true } as const;

/** A gate must not turn green by accident: a check that held nothing to an expectation is no pass. */
describe('the verdict of a check', () => {
  test('a check that ran and asserted nothing is broken, and says why', () => {
    expect(verdictOf(base, 'must')).toBe('broken');
    const settled = settleRecord(base);
    expect(settled.broken).toBe(ASSERTED_NOTHING);
    expect(verdictOf(settled, 'quirk')).toBe('broken');
    expect(renderFailure(settled)).toContain(`could not run: ${ASSERTED_NOTHING}`);
  });

  test('a skipped check asserts nothing and stays skipped, with its reason', () => {
    const skipped = settleRecord({ ...base, skipped: 'the target has no POST /api/login' });
    expect(verdictOf(skipped, 'must')).toBe('skipped');
    expect(skipped.broken).toBeUndefined();
  });

  test('a check that held one expectation passes; one that could not run keeps its own reason', () => {
    expect(verdictOf(settleRecord({ ...base, facets: [held] }), 'must')).toBe('passed');
    expect(settleRecord({ ...base, broken: 'the target timed out' }).broken).toBe('the target timed out');
  });

  test('only failures below the gate: below-gate; one at the gate: failed', () => {
    expect(verdictOf({ ...base, facets: [held, { level: 'quirk', says: 'x', ok: false }] }, 'must')).toBe('below-gate');
    expect(verdictOf({ ...base, facets: [held, { level: 'must', says: 'x', ok: false }] }, 'must')).toBe('failed');
  });
});
