import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** This file runs from dist/bench (npm run bench) and from bench/ (tests import it): find dist/ either way. */
const DIST = existsSync(fileURLToPath(new URL('../src/cli.js', import.meta.url))) ? new URL('../', import.meta.url) : new URL('../dist/', import.meta.url);
/** The built CLI and baseline server. */
export const CLI = fileURLToPath(new URL('src/cli.js', DIST));
export const BASELINE = fileURLToPath(new URL('bench/baseline-server.js', DIST));

export interface Child {
  readonly url: string;
  readonly output: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Start a node script and wait for its "listening on URL" line. */
export function startChild(args: readonly string[], timeoutMs = 15_000): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`did not start: ${args.join(' ')}\n${output}`)), timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /listening on (\S+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1] as string,
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
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
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
  const child = await startChild([CLI, 'serve', protocol]);
  try {
    const control = /control +(http\S+)/.exec(child.output)?.[1] ?? child.url;
    await fetch(`${control}/__accord/given`).then((r) => r.text());
    return performance.now() - started;
  } finally {
    await child.stop();
  }
}
