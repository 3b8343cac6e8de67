import type { RunPlan, TargetConfig } from '../client/target.js';
import { protocolById } from '../protocols/index.js';
import { CHECK_KINDS, checkId, matchesCheckId, type CheckKind } from '../spec/check.js';
import type { ProtocolSpec } from '../spec/protocol.js';
import { SUITES, type CheckBody, type CheckMeta } from '../../suites/index.js';

/** One check as its suite declared it, with its stable id and, when the protocol skips it, why. */
export interface DeclaredCheck {
  readonly id: string;
  readonly kind: CheckKind;
  readonly meta: CheckMeta;
  readonly body: CheckBody;
  readonly skip?: string;
}

/** The checks of one kind on one target: they run in order, on one world that only they use. */
export interface SuitePlan {
  readonly target: TargetConfig;
  readonly protocol: ProtocolSpec<unknown, unknown>;
  readonly kind: CheckKind;
  /** Goes into the names the suite creates (see suites/index.ts). */
  readonly tag: string;
  readonly checks: readonly DeclaredCheck[];
}

/**
 * Ask every selected suite (suites/index.ts) to declare its checks for every target. Nothing is sent:
 * declaring reads only the protocol's declarations, so shards can be cut before anything runs.
 */
export function declareChecks(plan: RunPlan): { suites: SuitePlan[]; errors: string[] } {
  const suites: SuitePlan[] = [];
  const errors: string[] = [];
  const { kinds, methods: wanted } = plan.selection;
  for (const target of plan.targets) {
    const protocol = protocolById(target.protocol) as ProtocolSpec<unknown, unknown> | undefined;
    if (!protocol) {
      errors.push(`${target.name}: unknown protocol ${target.protocol}`);
      continue;
    }
    const methods = protocol.methods.filter((m) => wanted.length === 0 || wanted.includes(m.name));
    for (const kind of CHECK_KINDS) {
      if (kinds.length > 0 && !kinds.includes(kind)) continue;
      const checks: DeclaredCheck[] = [];
      const check = (meta: CheckMeta, body: CheckBody) => {
        const id = checkId(protocol.id, meta.method, kind, meta.case);
        const skip = protocol.skips.find((s) => matchesCheckId(s.check, id));
        checks.push({ id, kind, meta, body, ...(skip ? { skip: skip.reason } : {}) });
      };
      try {
        SUITES[kind].declare({ plan, target, protocol, methods, check });
      } catch (error) {
        errors.push(`${target.name}: the ${kind} suite could not declare its checks: ${(error as Error).message}`);
        continue;
      }
      if (checks.length > 0) suites.push({ target, protocol, kind, tag: SUITES[kind].tag, checks });
    }
  }
  return { suites, errors };
}
