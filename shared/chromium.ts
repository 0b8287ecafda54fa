/** Debian's Chromium, as every part that drives it launches it (the browser crawler, the simulator, doctor). */

/** Where Debian installs chromium. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a headless crawl machine: no sandbox (root in a container), no GPU, no background calls home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
