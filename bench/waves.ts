import { readFileSync } from 'node:fs';
import http from 'node:http';
import { serveFlagsFor } from '../src/commands/given.js';
import { CLI, startChild, type Child } from './processes.js';

/**
 * Growth under load (issue 16): `accord serve octoprint` in its own process takes garbage and creates first
 * (the state grows), then waves of parallel `POST /api/access/users`, each on a connection of its own and
 * each answered with the whole user list, as OctoPrint does. Counts what was answered and what was reset,
 * and the mock's peak RSS. `node dist/bench/waves.js [fuzzed] [waves] [parallel]` (defaults 20000 3 1000);
 * test/robustness/growth.test.ts runs it with smaller numbers.
 */
export interface WavesResult {
  readonly fuzzed: number;
  /** Fuzzed requests that got no answer. */
  readonly fuzzLost: number;
  readonly sent: number;
  readonly answered: number;
  /** Connections reset, hung up or refused: each is a lost request. */
  readonly resets: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** The largest answer seen, in bytes (the user list at its longest). */
  readonly largestAnswer: number;
  /** The mock's peak resident memory, in MiB (VmHWM from /proc; sampled RSS elsewhere). */
  readonly peakRssMiB: number;
}

interface Answer {
  readonly status: number;
  readonly bytes: number;
}

function post(url: URL, key: string, body: string, agent: http.Agent | false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // No timeout: a slow answer is an answer; only a reset or hang-up is lost.
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'x-api-key': key, 'content-type': 'application/json' } },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A request the fuzz suite could send: mostly broken bodies and bad values, one in ten a create with an odd
 * name (20,000 of them leave about 2,000 users: a user list of about 1.2 MB, as in issue 16).
 */
function fuzzedBody(i: number): string {
  const odd = ['ü', '名', ' ', '\u{1F600}', '-', '.', '_', 'x'];
  const name = `fz${i}${odd[i % odd.length]}${'a'.repeat(i % 13)}`;
  switch (i % 10) {
    case 0:
      return JSON.stringify({ name, password: 'pw', active: i % 3 !== 0, groups: ['users'], permissions: [] });
    case 1:
    case 2:
      return '{"name": ';
    case 3:
      return JSON.stringify({ name, password: 7, active: 'maybe' });
    case 4:
      return JSON.stringify([name]);
    case 5:
      return JSON.stringify({ name: '', password: 'pw', active: true });
    case 6:
      return JSON.stringify({ name: 'admin', password: 'pw', active: true });
    case 7:
      return JSON.stringify({ name: ` ${name}`, password: 'pw', active: true });
    case 8:
      return JSON.stringify({ password: 'pw', active: true });
    default:
      return JSON.stringify({ name: { nested: name }, password: 'pw', active: true });
  }
}

function peakRssMiB(child: Child, sampled: number): number {
  try {
    const status = readFileSync(`/proc/${child.process.pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    if (Number.isFinite(kb)) return kb / 1024;
  } catch {
    // Not Linux: the sampled figure below.
  }
  return sampled;
}

export async function runWaves(options: {
  fuzzed: number;
  waves: number;
  parallel: number;
  serveArgs?: readonly string[];
}): Promise<WavesResult> {
  const mock = await startChild([
    CLI,
    'serve',
    'octoprint',
    ...serveFlagsFor('octoprint', { withSecrets: true }),
    ...(options.serveArgs ?? []),
  ]);
  let sampled = 0;
  const sampler = setInterval(() => {
    fetch(`${mock.control}/__accord/memory`)
      .then(async (r) => (sampled = Math.max(sampled, ((await r.json()) as { rss: number }).rss / 2 ** 20)))
      .catch(() => undefined);
  }, 500);
  try {
    const given = (await (await fetch(`${mock.control}/__accord/given`)).json()) as { adminKey: string };
    const url = new URL('/api/access/users', mock.url);
    // The garbage first, over a few kept-alive connections (a fuzzer's pace, not a storm); lost ones count too.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    let fuzzLost = 0;
    for (let i = 0; i < options.fuzzed; i += 200) {
      const batch = Array.from({ length: Math.min(200, options.fuzzed - i) }, (_, j) =>
        post(url, given.adminKey, fuzzedBody(i + j), agent),
      );
      fuzzLost += (await Promise.allSettled(batch)).filter((s) => s.status === 'rejected').length;
    }
    agent.destroy();
    const statuses: Record<string, number> = {};
    let answered = 0;
    let largestAnswer = 0;
    for (let wave = 0; wave < options.waves; wave++) {
      const creates = Array.from({ length: options.parallel }, (_, i) => {
        const body = JSON.stringify({
          name: `wave${wave}_${i}`,
          password: 'pw',
          active: true,
          groups: ['users'],
          permissions: [],
        });
        return post(url, given.adminKey, body, false);
      });
      for (const s of await Promise.allSettled(creates)) {
        if (s.status === 'rejected') continue;
        answered++;
        statuses[s.value.status] = (statuses[s.value.status] ?? 0) + 1;
        largestAnswer = Math.max(largestAnswer, s.value.bytes);
      }
    }
    const sent = options.waves * options.parallel;
    return {
      fuzzed: options.fuzzed,
      fuzzLost,
      sent,
      answered,
      resets: sent - answered,
      statuses,
      largestAnswer,
      peakRssMiB: peakRssMiB(mock, sampled),
    };
  } finally {
    clearInterval(sampler);
    await mock.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [fuzzed = 20_000, waves = 3, parallel = 1000] = process.argv.slice(2).map(Number);
  const started = performance.now();
  const result = await runWaves({ fuzzed, waves, parallel });
  console.log(JSON.stringify({ ...result, seconds: Math.round((performance.now() - started) / 100) / 10 }, null, 2));
}
