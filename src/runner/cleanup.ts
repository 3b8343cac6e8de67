import { existsSync, readFileSync } from 'node:fs';
import { RunContext, type LedgerEntry } from '../client/run-context.js';
import { RUN_PREFIX, type RunPlan, type TargetConfig } from '../client/target.js';
import { protocolById } from '../protocols/index.js';
import type { Handle } from '../spec/context.js';

export interface CleanupReport {
  readonly removed: readonly string[];
  readonly problems: readonly string[];
}

/** What an interrupted run left, per the ledger: objects created and not recorded as removed. */
function ledgerLeftovers(ledger: string | undefined, target: string): LedgerEntry[] {
  if (!ledger || !existsSync(ledger)) return [];
  const open = new Map<string, LedgerEntry>();
  for (const line of readFileSync(ledger, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const e = JSON.parse(line) as LedgerEntry;
    if (e.target !== target) continue;
    const key = `${e.kind} ${String(e.id)}`;
    if (e.op === 'created') open.set(key, e);
    else open.delete(key);
  }
  return [...open.values()];
}

/**
 * Remove from a target what runs left behind. An object is removed only if the target still lists it
 * with a run-prefixed name (`accord_<run>_…`; `prefix` narrows it to one run), or with exactly the id
 * and name the ledger recorded for it (a run may create names without the prefix, e.g. Kanboard's "").
 * Nothing else is ever touched. `dryRun` lists without removing.
 */
export async function cleanup(
  plan: RunPlan,
  target: TargetConfig,
  options: { prefix?: string; dryRun?: boolean } = {},
): Promise<CleanupReport> {
  const protocol = protocolById(target.protocol);
  if (!protocol) return { removed: [], problems: [`unknown protocol ${target.protocol}`] };
  const ctx = new RunContext(plan, target, protocol, 'c');
  const removed: string[] = [];
  const problems: string[] = [];
  const leftovers = ledgerLeftovers(plan.ledger, target.name);
  const prefix = options.prefix?.toLowerCase();
  const ours = (h: Handle) =>
    (prefix ? h.name.toLowerCase().startsWith(prefix) : RUN_PREFIX.test(h.name.toLowerCase())) ||
    leftovers.some((e) => String(e.id) === String(h.id) && e.name === h.name);
  try {
    // Newest kinds first (memberships go with the objects): remove in reverse resource order.
    for (const resource of [...protocol.resources].reverse()) {
      if (!resource.list) continue;
      let handles: Handle[];
      try {
        handles = await resource.list(ctx);
      } catch (error) {
        problems.push(`could not list ${resource.kind}s: ${(error as Error).message}`);
        continue;
      }
      for (const h of handles.filter(ours)) {
        if (options.dryRun) {
          removed.push(`${resource.kind} ${h.name} (${h.id})`);
          continue;
        }
        try {
          await resource.remove(ctx, h);
          removed.push(`${resource.kind} ${h.name} (${h.id})`);
        } catch (error) {
          problems.push(`could not remove ${resource.kind} ${h.name} (${h.id}): ${(error as Error).message}`);
        }
      }
    }
  } finally {
    await ctx.teardown();
  }
  return { removed, problems };
}
