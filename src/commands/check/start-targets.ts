import type { MockServer } from '../../../mock/server.js';
import type { TargetConfig } from '../../client/target.js';
import { checkedMockDialect } from '../../protocols/index.js';
import { startMockForCli } from '../start-mock.js';
import { askedVariant } from '../variant-option.js';
import type { CheckSettings } from './check-options.js';
import type { WantedTarget } from './resolve-targets.js';

export interface StartedTargets {
  /** Every target with its URL: a live one as given, an embedded mock at the address it listens on. */
  readonly targets: TargetConfig[];
  /** Stop the embedded mocks. */
  close(): Promise<void>;
}

/** What a target's embedded mock starts with: --fault, the target's own mock options, its asked variant. */
export function embeddedMockOptions(
  t: WantedTarget,
  settings: Pick<CheckSettings, 'faults' | 'variant'>,
): Record<string, unknown> {
  const variant = askedVariant(t, settings.variant)?.id;
  return { faults: settings.faults, ...t.given, ...(variant !== undefined ? { variant } : {}) };
}

/**
 * Start an embedded mock for each target that is one (with --fault, the target's options and its asked
 * variant); a mock with several endpoints (nymea: TCP and WebSocket) is checked through each of them, as
 * `<name>-<scheme>`. When one fails to start, those already started are stopped.
 */
export async function startTargets(
  wanted: readonly WantedTarget[],
  settings: Pick<CheckSettings, 'faults' | 'variant'>,
): Promise<StartedTargets> {
  const mocks: MockServer[] = [];
  const close = async () => {
    await Promise.all(mocks.map((m) => m.close()));
  };
  try {
    const targets: TargetConfig[] = [];
    for (const t of wanted) {
      if (!t.mock && t.url !== undefined) {
        targets.push({ ...t, url: t.url });
        continue;
      }
      const mock = await startMockForCli(t.protocol, {
        dialect: checkedMockDialect(t.protocol, embeddedMockOptions(t, settings)),
      });
      mocks.push(mock);
      for (const url of mock.urls) {
        const name = mock.urls.length > 1 ? `${t.name}-${new URL(url).protocol.replace(':', '')}` : t.name;
        const given = { ...mock.dialect.given, control: mock.controlUrl };
        targets.push({ ...t, name, url, given, givenByUser: t.given, server: t.name });
      }
    }
    return { targets, close };
  } catch (error) {
    await close();
    throw error;
  }
}
