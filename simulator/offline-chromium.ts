/** Debian's Chromium for the simulator's renderings and the browser tests, cut off from the network. */
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../shared/chromium.ts';

/**
 * Launches Chromium with no way out but to this machine's own UI: every host name and address but 127.0.0.1 and
 * localhost resolves to nothing (127.0.0.2 and the rest of 127/8 included, which chromium would not send to a proxy),
 * anything else goes to a dead proxy, and background calls home are off.
 */
export function launchOfflineChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'],
    proxy: { server: 'http://127.0.0.1:9', bypass: '127.0.0.1,localhost' },
  });
}
