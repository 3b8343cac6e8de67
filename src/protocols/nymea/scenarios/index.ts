import { connectionScenarios } from './connection.js';
import { lifecycleScenarios } from './lifecycle.js';
import { notificationScenarios } from './notifications.js';

/** Every nymea scenario, in the order the suites run them: notifications, lifecycles, connections. */
export const scenarios = [...notificationScenarios, ...lifecycleScenarios, ...connectionScenarios];
