import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export class ChromiumMissingError extends Error {
  constructor() {
    super(
      `Chromium was not found at ${CHROMIUM_PATH}. The card gallery renders in headless Chromium: install it with ` +
        '`apt-get update && apt-get install -y chromium`, or set CHROMIUM_PATH to an existing binary.',
    );
  }
}

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Requests the gallery may make; everything else is aborted so rendering never touches the network. */
function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'file:' || protocol === 'about:' || protocol === 'data:') return true;
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

export interface OfflinePage {
  page: Page;
  close(): Promise<void>;
}

/** Headless Debian Chromium with a throwaway profile and no network. */
export async function openOfflinePage(): Promise<OfflinePage> {
  if (!existsSync(CHROMIUM_PATH)) throw new ChromiumMissingError();
  const profile = await mkdtemp(join(tmpdir(), 'planbridge-gallery-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: FLAGS,
      viewport: { width: 800, height: 600 },
      deviceScaleFactor: 1,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.route('**/*', (route) => (isLocal(route.request().url()) ? route.continue() : route.abort()));
    return {
      page,
      async close() {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
}
