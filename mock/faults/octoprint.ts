import type { OctoPrintStages } from '../dialects/octoprint/stages.js';
import type { Fault } from './fault.js';

type OctoPrintFault = Fault<OctoPrintStages>;

export const octoprintFaults: readonly OctoPrintFault[] = [];
