import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './cli.js';

/** `accord serve` in its own process, as a live target would be: its URL once it listens. */
export interface ServedMock {
  readonly url: string;
  /** Where /__accord/state, /__accord/given... are served (the URL itself for HTTP protocols). */
  readonly control: string;
  readonly process: ChildProcess;
  state(): Promise<unknown>;
  stop(): Promise<void>;
}

export function serve(args: readonly string[], nodeArgs: readonly string[] = []): Promise<ServedMock> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`accord serve did not start: ${output}`)), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /listening on (\S+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      const url = m[1] as string;
      const control = /control +(http\S+)/.exec(output)?.[1] ?? url;
      resolve({
        url,
        control,
        process: child,
        state: async () => (await fetch(`${control}/__accord/state`)).json(),
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
      reject(new Error(`accord serve exited with ${code}: ${output}`));
    });
  });
}
