import { expect, test } from 'vitest';
import { runWaves } from '../../bench/waves.js';
import { scaled } from '../support/scale.js';

/**
 * A mock whose state grew keeps answering every request under a burst of parallel connections, with its
 * memory bounded (issue 16; bench/waves.ts at full size: 20,000 fuzzed requests, 3 waves of 1000). Each
 * create answers with the whole user list, as OctoPrint does: parallel answers are large. No timing here:
 * a slow answer is an answer; what must not happen is a reset, a hang-up or a runaway heap.
 */
test('octoprint: after fuzzed requests, waves of parallel creates are all answered, none reset, memory bounded', async () => {
  const result = await runWaves({ fuzzed: scaled(600, 20_000), waves: 3, parallel: scaled(150, 1000) });
  console.log(`waves: ${JSON.stringify(result)}`);
  expect(result.fuzzLost).toBe(0);
  expect(result.resets).toBe(0);
  expect(result.answered).toBe(result.sent);
  expect(result.statuses).toEqual({ 200: result.sent });
  expect(result.peakRssMiB).toBeLessThan(1024);
}, 600_000);
