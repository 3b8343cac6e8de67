import type { Fault } from './fault.js';
import { kanboardFaults } from './kanboard.js';
import { octoprint13Faults } from './octoprint-1.3.js';
import { octoprintFaults } from './octoprint.js';
import { rhodecodeFaults } from './rhodecode.js';
import { nymeaFaults } from './nymea.js';

/** Every protocol's faults, by protocol id. A new protocol adds its list here. */
const FAULTS: Readonly<Record<string, readonly Fault<never>[]>> = {
  kanboard: kanboardFaults as readonly Fault<never>[],
  octoprint: octoprintFaults as readonly Fault<never>[],
  'octoprint-1.3': octoprint13Faults as readonly Fault<never>[],
  rhodecode: rhodecodeFaults as readonly Fault<never>[],
  nymea: nymeaFaults as readonly Fault<never>[],
};

export function faultsOf(protocol: string): readonly Fault<unknown>[] {
  return (FAULTS[protocol] ?? []) as readonly Fault<unknown>[];
}

/** Switch named faults on for a dialect's stages; an unknown name is a user mistake with a clear message. */
export function applyFaults<S>(protocol: string, names: readonly string[], stages: S): void {
  for (const name of names) {
    const fault = faultsOf(protocol).find((f) => f.name === name);
    if (!fault) {
      const known =
        faultsOf(protocol)
          .map((f) => f.name)
          .join(', ') || 'none';
      throw new UnknownFaultError(`unknown fault "${name}" for ${protocol}; known: ${known}`);
    }
    fault.apply(stages);
  }
}

export class UnknownFaultError extends Error {}
