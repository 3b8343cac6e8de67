import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (installed by .ci/run when missing), never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless Chromium with the flags this machine's closed network needs (playwright gives it a fresh profile). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
