/** Every 1.3 method, in the order the suites run them (the apikey methods last: see users.ts). */
export { methods13 } from './users.js';
