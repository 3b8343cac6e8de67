import type { NymeaStages } from '../dialects/nymea/core.js';
import type { Fault } from './fault.js';

type NymeaFault = Fault<NymeaStages>;

export const nymeaFaults: readonly NymeaFault[] = [];
