import { describe, expect, test } from 'vitest';
import { faultsOf } from '../mock/faults/index.js';
import type { FaultFinding } from '../src/commands/selftest.js';
import { protocols } from '../src/protocols/index.js';
import { runCli } from './support/cli.js';

/**
 * Test the tests: `accord selftest` checks every mock with each of its faults switched on. A fault runs the
 * kinds of check it declares (caughtBy), and each of them must catch it. The clean mock's full run, which
 * must pass everything, is test/conformance.test.ts (`accord check <id> --level quirk` against a served mock).
 *
 * One self-test process per protocol, and a protocol whose server takes one suite at a time (`concurrency: 1`:
 * nymea's server-wide lockdown, OctoPrint's lost writes) split over several, all at once: each process has
 * mocks of its own.
 */
const CHUNKS_OF_SERIAL_PROTOCOLS = 3;

function chunksOf(id: string): string[][] {
  const names = faultsOf(id).map((f) => f.name);
  if (protocols[id]!.concurrency !== 1) return [names];
  const chunks: string[][] = Array.from({ length: CHUNKS_OF_SERIAL_PROTOCOLS }, () => []);
  names.forEach((name, i) => chunks[i % CHUNKS_OF_SERIAL_PROTOCOLS]!.push(name));
  return chunks;
}

describe.concurrent.each(Object.keys(protocols))('%s', (id) => {
  test('declares at least six faults', () => {
    expect(faultsOf(id).length).toBeGreaterThanOrEqual(6);
  });

  test.each(chunksOf(id).map((chunk, i) => [i + 1, chunk] as const))(
    'faults, part %i: each is caught by the kinds of check it declares',
    async (_part, chunk) => {
      const run = await runCli(
        ['selftest', id, '--json', '--no-clean', ...chunk.flatMap((name) => ['--fault', name])],
        { timeoutMs: 170_000 },
      );
      expect(run.stderr).toBe('');
      const findings = JSON.parse(run.stdout) as FaultFinding[];
      expect(findings.map((f) => f.fault)).toEqual(chunk);
      const missed = findings
        .filter((f) => !f.ok)
        .map(
          (f) =>
            `${f.protocol}/${f.fault ?? '(clean)'}: expected ${f.expectedKinds.join(',')}, caught by ${f.caughtBy.join(',') || 'nothing'}${f.failing.length ? `\n  ${f.failing.join('\n  ')}` : ''}`,
        );
      expect(missed).toEqual([]);
      expect(run.code).toBe(0);
    },
    180_000,
  );
});
