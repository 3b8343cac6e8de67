import type { ChildProcess } from 'node:child_process';
import { CLI, startChild } from '../../bench/processes.js';

/** `accord serve` in its own process, as a live target would be: its URL once it listens. */
export interface ServedMock {
  readonly url: string;
  /** Every URL it listens on (nymea: TCP, then WebSocket). */
  readonly urls: readonly string[];
  /** Where /__accord/state, /__accord/given... are served (the URL itself for HTTP protocols). */
  readonly control: string;
  readonly process: ChildProcess;
  /** What it printed so far (banner, journal lines). */
  readonly output: string;
  state(): Promise<unknown>;
  stop(): Promise<void>;
}

export async function serve(args: readonly string[], nodeArgs: readonly string[] = []): Promise<ServedMock> {
  const child = await startChild([...nodeArgs, CLI, 'serve', ...args]);
  return {
    url: child.url,
    urls: child.urls,
    control: child.control,
    process: child.process,
    get output() {
      return child.output;
    },
    state: async () => (await fetch(`${child.control}/__accord/state`)).json(),
    stop: () => child.stop(),
  };
}
