import { scenarioSuite } from './support/scenarios.js';

/** Multi-step scenarios: create → read → update → list → delete → gone, cascades, credentials that stop working. */
export const lifecycle = scenarioSuite('lifecycle');
