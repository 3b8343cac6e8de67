import type { VariantsSpec } from '../../spec/variant.js';

/** RhodeCode is checked as one release, CE 4.27 (rhodecode.md §0: its behaviour stands for 5.x too): no variants. */
export const variants: VariantsSpec | undefined = undefined;
