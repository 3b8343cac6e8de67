import type { ChildProcess } from 'node:child_process';
import { CLI, startChild } from '../../bench/processes.js';

/** `accord serve` in its own process, as a live target would be: its URL once it listens. */
export interface ServedMock {
  readonly url: string;
  /** Where /__accord/state, /__accord/given... are served (the URL itself for HTTP protocols). */
  readonly control: string;
  readonly process: ChildProcess;
  state(): Promise<unknown>;
  stop(): Promise<void>;
}

export async function serve(args: readonly string[], nodeArgs: readonly string[] = []): Promise<ServedMock> {
  const child = await startChild([...nodeArgs, CLI, 'serve', ...args]);
  // The banner ends with this line; the control URL is printed after the first "listening on".
  for (let waited = 0; !/Ctrl-C stops it/.test(child.output) && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  const control = /control +(http\S+)/.exec(child.output)?.[1] ?? child.url;
  return {
    url: child.url,
    control,
    process: child.process,
    state: async () => (await fetch(`${control}/__accord/state`)).json(),
    stop: () => child.stop(),
  };
}
