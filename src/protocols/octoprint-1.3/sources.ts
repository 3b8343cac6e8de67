/** 1.3 shares reference/octoprint.md and its sources (../octoprint/sources.ts: 1.3.12's under §2.4, §4.4, §5.2). */
export { sources } from '../octoprint/sources.js';
