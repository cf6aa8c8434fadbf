import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/** `.ci/run` installs Debian's Chromium; a developer machine without it skips the browser files (CI never does). */
export const chromiumAvailable = existsSync(CHROMIUM) || process.env.CI === 'true';

/** Headless Debian Chromium: no sandbox as root, and none of the background traffic this closed network refuses. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-sync'],
  });
}
