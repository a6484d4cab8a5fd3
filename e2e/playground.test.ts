import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SHOTS, startPlaygroundWorld, type PlaygroundWorld } from './support/world.js';

/**
 * The real-client journey: the Microsoft 365 Agents Playground (a local Teams web client) in headless
 * Chromium talks to the real bot over the Bot Framework protocol. Screenshots land in artifacts/e2e/.
 */
describe('Agents Playground journey', () => {
  let world: PlaygroundWorld;
  let page: Page;

  beforeAll(async () => {
    world = await startPlaygroundWorld();
    page = world.page;
  }, 120_000);
  afterAll(() => world?.close());

  const cards = () => page.locator('.fai-OutputCard .ac-adaptiveCard');

  async function send(text: string): Promise<void> {
    const box = page.locator('[role="textbox"][contenteditable="true"]');
    await box.click();
    await box.pressSequentially(text);
    await page.locator('button[aria-label="Send Message"]').click();
  }

  it('installing shows the welcome card with the first three things to type', async () => {
    await page.goto(world.playground.url);
    const welcome = cards().filter({ hasText: 'PlanBridge' }).filter({ has: page.getByRole('button', { name: 'See all commands', exact: true }) });
    await welcome.first().waitFor({ timeout: 45_000 });
    await expect(welcome.first().getByRole('button').count()).resolves.toBeGreaterThanOrEqual(4);
    await page.screenshot({ path: `${SHOTS}01-welcome.png`, fullPage: true });
  }, 90_000);

  it('typing help shows the help card listing the commands with examples', async () => {
    const before = await cards().count();
    await send('help');
    const help = cards().filter({ hasText: 'preview sync' }).filter({ hasText: 'schedule' });
    await help.last().waitFor({ timeout: 30_000 });
    expect(await cards().count()).toBeGreaterThan(before);
    await expect(help.last().innerText()).resolves.toMatch(/sync project "?Apollo/i);
    // Placeholders must survive the Teams renderer (angle brackets would be eaten as HTML).
    await expect(help.last().innerText()).resolves.toContain('sync project ‹name›');
    await page.screenshot({ path: `${SHOTS}02-help.png`, fullPage: true });
  }, 60_000);

  it('a typo gets a did-you-mean reply naming the closest command', async () => {
    await send('synk Apollo');
    const reply = cards().filter({ hasText: /did you mean/i });
    await reply.last().waitFor({ timeout: 30_000 });
    await expect(reply.last().innerText()).resolves.toMatch(/sync/i);
    await page.screenshot({ path: `${SHOTS}03-did-you-mean.png`, fullPage: true });
  }, 60_000);
});
