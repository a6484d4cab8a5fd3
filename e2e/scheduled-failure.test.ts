import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS } from '../sim/ado/server.js';
import { PWA_DEMO_CREDENTIALS } from '../sim/pwa/server.js';
import { createCosmosScheduleBook } from '../bot/src/jobs/index.js';
import { SHOTS, startPlaygroundWorld, type PlaygroundWorld } from './support/world.js';

/**
 * A scheduled run that fails, seen in a real client: the Agents Playground in headless Chromium.
 * The integration is stored directly (the setup journey has its own e2e test), with a PAT that has
 * expired; the scheduler's scan is called once, and the failure card must arrive in the chat with
 * the cause in plain words and its three buttons. Screenshot: artifacts/e2e/20-scheduled-failure.png.
 */
describe('scheduled failure in the Agents Playground', () => {
  let world: PlaygroundWorld;

  beforeAll(async () => {
    world = await startPlaygroundWorld({ scheduler: 'manual' });
  }, 120_000);
  afterAll(() => world?.close());

  const cards = () => world.page.locator('.fai-OutputCard .ac-adaptiveCard');

  it('the failure card of a scheduled run names the cause and offers Retry, Fix the connection and Pause', async () => {
    const { bot, ado, pwa, playground, page } = world;
    await page.goto(playground.url);
    // The install stores the chat's conversation reference, which proactive messages need.
    await cards().first().waitFor({ timeout: 45_000 });
    const { config } = (await (await fetch(`${playground.url}/_internal/v1/config`)).json()) as { config: { tenantId: string; personalChat: { id: string } } };
    const store = bot.bot.store;
    const tenantId = config.tenantId;
    const conversation = await waitFor(() => store.conversations.get(tenantId, config.personalChat.id));
    const owner = (conversation.reference as { user?: { id: string; aadObjectId?: string; name?: string } }).user!;

    const adoConnection = await store.connections.create(tenantId, { kind: 'ado', name: 'Contoso ADO', url: ado.url, auth: { type: 'pat' }, secret: ADO_DEMO_PATS.expired, createdBy: owner.aadObjectId ?? owner.id });
    const pwaConnection = await store.connections.create(tenantId, { kind: 'pwa', name: 'Contoso PWA', url: pwa.url, auth: { type: 'basic', username: PWA_DEMO_CREDENTIALS.username }, secret: PWA_DEMO_CREDENTIALS.password });
    const apollo = pwa.state.projects.find((p) => p.Name === 'Apollo')!;
    const integration = await store.integrations.create(tenantId, {
      name: 'Apollo ↔ Phoenix', planConnectionId: pwaConnection.id, planProjectId: apollo.Id, planProjectName: 'Apollo',
      adoConnectionId: adoConnection.id, adoProjects: ['Phoenix'], direction: 'plan-to-ado', process: 'Agile', mapping: [],
      hierarchy: { levels: ['Epic', 'Feature', 'User Story'], leafType: 'Task' },
      approvers: [{ id: owner.id, ...(owner.aadObjectId ? { aadObjectId: owner.aadObjectId } : {}), ...(owner.name ? { name: owner.name } : {}) }],
      notifications: { conversationId: conversation.conversationId, onFailure: true, onSuccess: false },
      createdBy: owner.aadObjectId ?? owner.id,
    });
    // Daily at 09:00 Berlin, set up two days ago: a run is due now.
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    await createCosmosScheduleBook(store.integrations).set({ tenantId, integrationId: integration.id }, { kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' }, twoDaysAgo, twoDaysAgo);

    const report = await bot.bot.scheduler.tick();
    expect(report.outcomes.failed).toBe(1);
    const failure = cards().filter({ hasText: 'Scheduled sync failed: Apollo ↔ Phoenix' });
    await failure.last().waitFor({ timeout: 30_000 });
    const text = await failure.last().innerText();
    expect(text).toContain('The Azure DevOps personal access token has expired or was revoked.');
    expect(text).not.toContain(ADO_DEMO_PATS.expired);
    for (const name of ['Retry', 'Fix the connection', 'Pause the schedule']) {
      await expect(failure.last().getByRole('button', { name, exact: true }).count()).resolves.toBe(1);
    }
    await failure.last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}20-scheduled-failure.png`, fullPage: true });
  }, 120_000);
});

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the Playground conversation to be stored');
    await new Promise((r) => setTimeout(r, 100));
  }
}
