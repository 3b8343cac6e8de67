/** 1.3's keys and where they travel are OctoPrint's (../octoprint/credentials.ts: API keys and passwords). */
export { credentialPositions, OCTOPRINT_KEYS } from '../octoprint/credentials.js';
