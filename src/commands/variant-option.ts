import type { RunPlan, TargetConfig } from '../client/target.js';
import { protocolById } from '../protocols/index.js';
import { chooseVariant } from '../runner/variant.js';
import { givenVariant } from '../spec/variant.js';
import { CliError } from './cli-error.js';

/** `accord check --variant V` and the config key `variant`: which variant a target is said to be. */

type Wanted = Pick<TargetConfig, 'name' | 'protocol' | 'variant'>;

/** The variant asked for a target: its config key `variant`, else --variant. */
export function askedVariant(t: Wanted, cliVariant: string | undefined): { id: string; by: string } | undefined {
  if (t.variant) return { id: t.variant.id, by: t.variant.evidence };
  return cliVariant === undefined ? undefined : { id: cliVariant, by: 'given with --variant' };
}

/** A variant the protocol does not declare is a user mistake, found before anything starts. */
export function checkAskedVariant(t: Wanted, cliVariant: string | undefined): void {
  const asked = askedVariant(t, cliVariant);
  const choice = asked && givenVariant(protocolById(t.protocol)?.variants, t.protocol, asked.id, asked.by);
  if (typeof choice === 'string') throw new CliError(`${t.name}: ${choice}`);
}

/** Each target of the plan with its variant: given, detected from its answers, or the protocol's default. */
export async function withVariants(
  plan: RunPlan,
  wanted: readonly Wanted[],
  cliVariant: string | undefined,
): Promise<TargetConfig[]> {
  const out: TargetConfig[] = [];
  for (const t of plan.targets) {
    // A mock with several endpoints is checked as `<name>-<scheme>` (nymea-tcp): the same wanted target.
    const asked = wanted.find((w) => w.name === t.name) ?? wanted.find((w) => t.name.startsWith(`${w.name}-`));
    const choice = await chooseVariant(plan, t, asked ? askedVariant(asked, cliVariant) : undefined);
    if (typeof choice === 'string') throw new CliError(choice);
    out.push(choice ? { ...t, variant: choice } : t);
  }
  return out;
}
