import { scenarioSuite } from './support/scenarios.js';

/** Who receives which notification, and who must not (protocols with server-sent notifications). */
export const notifications = scenarioSuite('notifications');
