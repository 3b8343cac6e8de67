import type { ArrangeContext } from '../../spec/context.js';
import { formOf, type VariantsSpec } from '../../spec/variant.js';

/**
 * nymea's variants are the Qt it is built with (nymea.md §8, the [Qt5]/[Qt6] marks): nymea's params
 * validator calls QVariant conversions whose rules changed in Qt6. The suites' quirk facets and the mock
 * read QT_BUILDS. The Qt5 forms were seen on the real 1.15.2 Qt5 build (../shared/real/nymea); the Qt6
 * forms are nymea.md's reading of nymea's source against Qt6's QVariant, not seen on a real Qt6 build.
 */
export type QtBuild = 'qt5' | 'qt6';

export interface QtForm {
  /** What JSONRPC.Version answers as qtVersion and qtBuildVersion (the mock's; a real one names its own). */
  readonly served: string;
  /** The major version JSONRPC.Version's qtVersion starts with. */
  readonly major: 5 | 6;
  /**
   * [Qt5] a basic value must be convertible to its type (a list or an object is no String: "Invalid value.
   * Expected: String, Got: …") and a Uuid must parse ("Invalid Uuid: …"). [Qt6] neither is checked: a
   * list given as a String reads as "", an id that is no UUID goes on to the handler (RemoveToken:
   * TokenNotFound); only Int, UInt and Double are tested ("Invalid Int: …").
   */
  readonly convertibilityCheck: boolean;
}

export const QT_BUILDS: Readonly<Record<QtBuild, QtForm>> = {
  qt5: { served: '5.15.8', major: 5, convertibilityCheck: true },
  qt6: { served: '6.4.2', major: 6, convertibilityCheck: false },
};

/** The form of a variant id (an unknown id: Qt5's, the reference's real server). */
export function qtFormOf(variant: string): QtForm {
  return formOf({ byVariant: { default: QT_BUILDS.qt5, ...QT_BUILDS } }, variant);
}

/** One form per Qt build, made from each build's form: for byVariant declarations. */
export function perQt<T>(make: (qt: QtForm) => T): { readonly byVariant: Record<string, T> & { default: T } } {
  const qt5 = make(QT_BUILDS.qt5);
  return { byVariant: { default: qt5, qt5, qt6: make(QT_BUILDS.qt6) } };
}

/** JSONRPC.Version (no token needed once Hello is done) names the Qt the server runs on. */
async function detect(c: ArrangeContext): Promise<{ id: string; evidence: string } | undefined> {
  const reply = await c.call('JSONRPC.Version', {});
  if (!reply.ok) return undefined;
  const qt = (reply.value as { qtVersion?: unknown } | null)?.qtVersion;
  if (typeof qt !== 'string') return undefined;
  const id = (Object.keys(QT_BUILDS) as QtBuild[]).find((b) => qt.startsWith(`${QT_BUILDS[b].major}.`));
  return id === undefined ? undefined : { id, evidence: `JSONRPC.Version says qtVersion ${qt}` };
}

export const variants: VariantsSpec = {
  list: [
    { id: 'qt5', title: 'nymea built with Qt5' },
    { id: 'qt6', title: 'nymea built with Qt6' },
  ],
  default: 'qt5',
  detect,
};
