/** Debian's Chromium for the simulator's renderings and the browser tests, cut off from the network. */
import { chromium, type Browser } from 'playwright-core';

/** Launches Chromium with no way out: every request but loopback goes to a dead proxy, and background calls home are off. */
export function launchOfflineChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
    proxy: { server: 'http://127.0.0.1:9', bypass: '127.0.0.1,localhost' },
  });
}
