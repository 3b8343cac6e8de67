import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveFlagsFor } from '../src/commands/given.js';

/** This file runs from dist/bench (npm run bench) and from bench/ (tests import it): find dist/ either way. */
const DIST = existsSync(fileURLToPath(new URL('../src/cli.js', import.meta.url)))
  ? new URL('../', import.meta.url)
  : new URL('../dist/', import.meta.url);
/** The built CLI (the bundle users run) and baseline servers. */
export const CLI = fileURLToPath(new URL('bundle/accord.js', DIST));
export const BASELINE = fileURLToPath(new URL('bench/baseline-server.js', DIST));
export const STREAM_BASELINE = fileURLToPath(new URL('bench/baseline-stream-server.js', DIST));

/** What is kept of a child's output once it started (its last lines, for an error message). */
const OUTPUT_KEPT = 64 * 1024;

export interface Child {
  /** The first URL it listens on; `urls` has all of them (nymea: TCP and WebSocket). */
  readonly url: string;
  readonly urls: readonly string[];
  /** `accord serve`: where /__accord/state, /__accord/given... are (the URL itself for HTTP protocols). */
  readonly control: string;
  readonly output: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Start a node script and wait until it is ready: its "listening on URL [and URL]" line, and for
 * `accord serve` the end of its banner (the control URL comes after the first line).
 */
export function startChild(args: readonly string[], timeoutMs = 15_000): Promise<Child> {
  const ready = args.includes('serve') ? /Ctrl-C stops it/ : /listening on .*\n/;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let started = false;
    const timer = setTimeout(() => reject(new Error(`did not start: ${args.join(' ')}\n${output}`)), timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      // Once started, `accord serve` prints a line per request: only the last of them are kept, unread (a
      // load generator in this process that scanned all it ever printed would slow down as the load goes on).
      output = started ? (output + d.toString()).slice(-OUTPUT_KEPT) : output + d.toString();
      if (started) return;
      const m = /listening on (\S+)((?: and \S+)*)/.exec(output);
      if (!m || !ready.test(output)) return;
      started = true;
      clearTimeout(timer);
      const urls = [
        m[1] as string,
        ...(m[2] ?? '')
          .split(' and ')
          .filter((u) => u.trim() !== '')
          .map((u) => u.trim()),
      ];
      resolve({
        url: urls[0]!,
        urls,
        control: /control +(http\S+)/.exec(output)?.[1] ?? urls[0]!,
        get output() {
          return output;
        },
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-OUTPUT_KEPT)));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${output}`));
    });
  });
}

/** Run a command to its end; its wall time in milliseconds. */
export function timeCommand(args: readonly string[]): Promise<{ ms: number; code: number | null }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    child.on('exit', (code) => resolve({ ms: performance.now() - started, code }));
  });
}

/** `accord serve` to the first answered request, in milliseconds. */
export async function coldStart(protocol: string): Promise<number> {
  const started = performance.now();
  const child = await startChild([CLI, 'serve', protocol, ...serveFlagsFor(protocol, { withSecrets: true })]);
  try {
    await fetch(`${child.control}/__accord/given`).then((r) => r.text());
    return performance.now() - started;
  } finally {
    await child.stop();
  }
}
