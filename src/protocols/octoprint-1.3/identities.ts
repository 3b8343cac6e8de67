import { keyIdentities } from '../octoprint/identities.js';
import type { World13 } from './world.js';

/** 1.3's identities are OctoPrint's key identities (../octoprint/identities.ts), over the 1.3 world. */
export const identities13 = keyIdentities<World13>();
