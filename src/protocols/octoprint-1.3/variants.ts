import type { VariantsSpec } from '../../spec/variant.js';

/** 1.3 is checked as one release, 1.3.12 (octoprint.md §0): no variants to tell apart. */
export const variants13: VariantsSpec | undefined = undefined;
