import { describeScenarios } from './support/scenarios.js';

/** Multi-step scenarios: create → read → update → list → delete → gone, cascades, credentials that stop working. */
describeScenarios('lifecycle', 'l');
