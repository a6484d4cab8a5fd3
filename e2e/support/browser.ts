import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** True when the system Chromium the browser tests drive is installed. */
export const hasChromium = (): boolean => existsSync(CHROMIUM);

export interface OfflineBrowserOptions {
  /**
   * Accept any certificate. Only for worlds with a local https simulator whose certificate is made
   * at start (the Entra simulator's self-signed CA); requests still never leave localhost.
   */
  ignoreHTTPSErrors?: boolean;
}

/**
 * Headless Debian Chromium with a throwaway profile, and every request that is not to
 * localhost aborted, so a test can never reach the internet.
 */
export async function launchOfflineBrowser(options: OfflineBrowserOptions = {}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!hasChromium()) throw new Error(`Chromium not found at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium`);
  const profile = await mkdtemp(join(tmpdir(), 'planbridge-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    ...(options.ignoreHTTPSErrors ? { ignoreHTTPSErrors: true } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === 'localhost' || host === '127.0.0.1' ? route.continue() : route.abort();
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
