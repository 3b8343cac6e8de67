import { RunContext } from '../client/run-context.js';
import type { RunPlan, TargetConfig } from '../client/target.js';
import { protocolById } from '../protocols/index.js';
import { givenVariant, type VariantChoice } from '../spec/variant.js';

/**
 * Which variant a target is (undefined: its protocol declares no variants): the one given (--variant, config key `variant`), else the one its answers
 * show (the protocol's detect, which only touches what it creates and removes it), else the default.
 * A given variant that is not the protocol's is a user mistake: the message comes back as a string.
 */
export async function chooseVariant(
  plan: RunPlan,
  target: TargetConfig,
  given: { readonly id: string; readonly by: string } | undefined,
): Promise<VariantChoice | string | undefined> {
  const protocol = protocolById(target.protocol);
  const spec = protocol?.variants;
  if (given !== undefined) return givenVariant(spec, target.protocol, given.id, given.by);
  // A protocol with one variant has nothing to report.
  if (!protocol || !spec) return undefined;
  const fallback: VariantChoice = {
    id: spec.default,
    source: 'default',
    evidence: 'the protocol cannot tell from the server',
  };
  if (!spec.detect) return fallback;
  const ctx = new RunContext(plan, target, protocol, 'v');
  try {
    const found = await spec.detect(ctx);
    if (found && spec.list.some((v) => v.id === found.id))
      return { id: found.id, source: 'detected', evidence: found.evidence };
    return { ...fallback, evidence: 'the answers did not tell' };
  } catch (error) {
    return { ...fallback, evidence: `detection failed (${(error as Error).message.slice(0, 120)})` };
  } finally {
    // What teardown could not remove carries the run prefix: the sweep at the end of the run removes it.
    await ctx.teardown();
  }
}
