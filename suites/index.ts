import type { CheckKind } from '../src/spec/check.js';
import { envelope } from './envelope.suite.js';
import { errors } from './errors.suite.js';
import { fuzz } from './fuzz.suite.js';
import { lifecycle } from './lifecycle.suite.js';
import { notifications } from './notifications.suite.js';
import { params } from './params.suite.js';
import { rights } from './rights.suite.js';
import { shapes } from './shapes.suite.js';
import type { Suite } from './support/suite.js';

export type { CheckBody, CheckMeta, Suite, TargetRun } from './support/suite.js';

/**
 * Every kind of check and the suite that declares its checks: the only list of suites. `tag` goes into
 * the names a suite creates (`accord_<run>_user_s3`), so that suites running side by side never collide.
 */
export const SUITES: { readonly [K in CheckKind]: { readonly tag: string; readonly declare: Suite } } = {
  shapes: { tag: 's', declare: shapes },
  errors: { tag: 'e', declare: errors },
  params: { tag: 'p', declare: params },
  fuzz: { tag: 'z', declare: fuzz },
  rights: { tag: 'r', declare: rights },
  lifecycle: { tag: 'l', declare: lifecycle },
  envelope: { tag: 'v', declare: envelope },
  notifications: { tag: 'n', declare: notifications },
};
