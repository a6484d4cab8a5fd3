import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { TestBot } from '../bot/test/support/test-bot.js';
import { ADO_DEMO_PATS, type AdoSimulator } from '../sim/ado/server.js';
import { SEED_IDS, type DataverseSimulator } from '../sim/dataverse/server.js';
import { ENTRA_DEMO } from '../sim/entra/server.js';
import { PlaygroundChat } from './support/chat.js';
import { expectReadable as readable, playgroundUser as signedInUser, escapeRegExp } from './support/checks.js';
import type { RunningPlayground } from './support/playground.js';
import { startSignInPlannerPlaygroundWorld, type SignInPlannerPlaygroundWorld } from './support/sign-in-world.js';
import { SHOTS } from './support/world.js';
import { expectPlanInPhoenix } from './support/plan-in-ado.js';

/**
 * Planner premium connected by Microsoft 365 sign-in, in a real Teams-like client: the Agents
 * Playground in headless Chromium, the real bot, the Entra simulator's sign-in page (https, its own
 * CA) in the window the card's button opens, and a Dataverse simulator that accepts nothing but
 * the signed-in user's `user_impersonation` token for the environment. Connect ADO; "connect planner"
 * with "Microsoft 365 sign-in"; press "Sign in with Microsoft 365", sign in on the simulator's page,
 * see the bot's "Signed in" page; the checklist arrives in the chat on its own. Then link, schedule
 * (refused for a pasted token, allowed for a sign-in), sync, approve, and check ADO itself. Each step's
 * card is photographed to artifacts/e2e/5x-*.png. Timeouts are generous and nothing is timed.
 */
const PLAN = 'Apollo Cloud';
const PAIR = `${PLAN} ↔ Phoenix`;
const PLANNER_NAME = 'Contoso Planner';
const ACCOUNT = ENTRA_DEMO.user;

describe('Agents Playground with Planner premium by Microsoft 365 sign-in: connect, sign in, link, schedule, sync', () => {
  let world: SignInPlannerPlaygroundWorld;
  let bot: TestBot;
  let playground: RunningPlayground;
  let ado: AdoSimulator;
  let dataverse: DataverseSimulator;
  let chat: PlaygroundChat;
  let planned = 0;
  let itemsAtStart = 0;

  const apolloTasks = () => dataverse.state.list('msdyn_projecttask').filter((t) => t._msdyn_project_value === SEED_IDS.apollo);

  beforeAll(async () => {
    // A manual scheduler: the daily 09:00 schedule made below can never start a run mid-test.
    world = await startSignInPlannerPlaygroundWorld({ scheduler: 'manual' });
    ({ bot, playground, ado, dataverse } = world);
    itemsAtStart = ado.state.items.size;
    chat = new PlaygroundChat(world.page);
    await chat.page.goto(playground.url, { timeout: 90_000 });
    await chat.waitForCard('Welcome to PlanBridge', 90_000);
  }, 240_000);
  afterAll(() => world?.close());

  const expectReadable = (card: Locator, name: string): Promise<string> => readable(chat, card, name);
  const playgroundUser = (): Promise<string> => signedInUser(playground.url);
  /** The address the bot gives browsers (PUBLIC_BASE_URL's local default), which its redirect URI is built from. */
  const botBase = (): string => `http://localhost:${new URL(bot.bot.url).port}`;

  it('connect ado: URL and PAT; the checklist shows every scope present', async () => {
    await chat.send('connect ado');
    const form = await chat.waitForCard('Connect Azure DevOps', 90_000);
    await chat.fill(form, 'Organization URL', ado.url);
    await chat.fill(form, 'Personal access token', ADO_DEMO_PATS.fullAccess);
    await chat.fill(form, 'PAT expiry date', new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10));
    await chat.fill(form, 'Display name', 'Contoso ADO');
    await chat.press(form, 'Connect');
    const checklist = await chat.waitForCard('Connected to Azure DevOps: Contoso ADO', 90_000);
    expect(await expectReadable(checklist, 'ado-checklist')).not.toMatch(/missing/);
  }, 180_000);

  let signInCard: Locator;
  const signInLink = (): Locator => signInCard.getByRole('link', { name: 'Sign in with Microsoft 365', exact: true });

  it('connect planner: Microsoft 365 sign-in is the default; Connect answers with the sign-in card', async () => {
    await chat.send('connect planner');
    const form = await chat.waitForCard('Connect Planner premium', 90_000);
    await expectReadable(form, 'connect-planner');
    const signIn = form.getByRole('radio', { name: /^Microsoft 365 sign-in/ });
    expect(await signIn.isChecked(), 'Microsoft 365 sign-in is chosen without touching it').toBe(true);
    expect(await form.getByRole('radio', { name: /^An access token/ }).isChecked()).toBe(false);
    await chat.fill(form, 'Dataverse environment URL', dataverse.url);
    await chat.fill(form, 'Display name', PLANNER_NAME);
    await chat.shoot(form, `${SHOTS}50-sign-in-connect-planner.png`);

    await chat.press(form, 'Connect');
    signInCard = await chat.waitForCard('Sign in to Planner premium', 90_000);
    const text = await expectReadable(signInCard, 'sign-in-card');
    expect(text).toContain(`PlanBridge should use for ${dataverse.url}`);
    expect(text).toMatch(/works until \d\d:\d\d UTC and only once/);
    // The Playground renders an Action.OpenUrl as a button with the link role, its URL as the title.
    const link = signInLink();
    await link.waitFor({ state: 'visible' });
    expect(await link.getAttribute('title')).toMatch(new RegExp(`^${escapeRegExp(botBase())}/auth/pwa/start\\?state=[\\w.-]+$`));
    await chat.shoot(signInCard, `${SHOTS}51-sign-in-card.png`);
    // Nothing is connected until the browser finishes the sign-in.
    expect(await chat.cards().filter({ hasText: /^\s*Connected to Planner premium/ }).count()).toBe(0);
  }, 180_000);

  let popup: Page;

  it('"Sign in with Microsoft 365" opens the Entra sign-in page; signing in as the demo PM ends on the bot\'s "Signed in" page', async () => {
    [popup] = await Promise.all([
      chat.page.waitForEvent('popup', { timeout: 60_000 }),
      signInLink().click(),
    ]);
    // The bot's /auth/pwa/start sends the window on to the Entra simulator's authorize page.
    const username = popup.locator('input[name="username"]');
    await username.waitFor({ state: 'visible', timeout: 60_000 });
    const authorize = new URL(popup.url());
    expect(authorize.origin).toBe(world.entra.url);
    expect(authorize.pathname).toMatch(/\/oauth2\/v2\.0\/authorize$/);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${botBase()}/auth/pwa/callback`);
    expect((authorize.searchParams.get('scope') ?? '').split(' ')).toContain(`${new URL(dataverse.url).origin}/user_impersonation`);
    await expect.poll(() => popup.locator('h1').innerText()).toBe('Sign in');

    await username.fill(ACCOUNT.username);
    await popup.locator('input[name="password"]').fill(ACCOUNT.password);
    await popup.screenshot({ path: `${SHOTS}52-entra-sign-in-page.png`, animations: 'disabled' });
    await popup.getByRole('button', { name: 'Sign in and accept', exact: true }).click();

    await popup.waitForURL((url) => url.pathname === '/auth/pwa/callback', { timeout: 90_000 });
    const heading = popup.locator('h1');
    await heading.waitFor({ state: 'visible', timeout: 90_000 });
    expect(await heading.innerText()).toBe('Signed in');
    const body = await popup.locator('main').innerText();
    expect(body).toContain(`You are signed in as ${ACCOUNT.username}`);
    expect(body).toContain('PlanBridge is connected to Planner premium');
    expect(body).toContain(PLANNER_NAME);
    expect(body).toContain('return to Microsoft Teams');
    await popup.screenshot({ path: `${SHOTS}53-signed-in-page.png`, animations: 'disabled' });
    await popup.close();
  }, 180_000);

  it('back in the chat: the checklist arrives on its own, naming the signed-in account, with the licence and the schedule APIs', async () => {
    const checklist = await chat.waitForCard(`Connected to Planner premium: ${PLANNER_NAME}`, 90_000);
    const text = await expectReadable(checklist, 'signed-in-planner-checklist');
    expect(text).toContain(`signed in with Microsoft 365 as ${ACCOUNT.username}`);
    expect(text).toContain(`${dataverse.url}, signed in with Microsoft 365 as ${ACCOUNT.username} (PlanBridge renews the sign-in).`);
    expect(text).toMatch(/Read plans, tasks, buckets, sprints and assignments\s*\n?\s*allowed/);
    expect(text).toMatch(/Microsoft Project licence \(Project Plan 1, 3 or 5\)\s*\n?\s*assigned/);
    expect(text).toMatch(/Change plans through the Project schedule APIs\s*\n?\s*allowed/);
    expect(text).not.toMatch(/expires within about an hour/);
    await chat.shoot(checklist, `${SHOTS}54-signed-in-planner-checklist.png`);
  }, 180_000);

  it(`link: "${PLAN}" is read from Planner premium with the sign-in, and Create integration links it to Phoenix`, async () => {
    await chat.send(`link project "${PLAN}" to ADO project Phoenix`);
    const setup = await chat.waitForCard(`Link ${PLAN} to Azure DevOps`, 90_000);
    expect(await chat.text(setup)).toContain(`Using ${PLANNER_NAME} (Planner premium) and Contoso ADO.`);
    const plan = chat.input(setup, 'Plan (');
    if ((await plan.inputValue()) !== PLAN) await chat.select(setup, 'Plan (', PLAN);
    expect(await plan.inputValue()).toBe(PLAN);
    expect(await chat.input(setup, 'Azure DevOps project(s)').inputValue()).toBe('Phoenix');
    await chat.press(setup, 'Create integration');
    const linked = await chat.waitForCard(`Linked: ${PAIR}`, 90_000);
    const summary = await expectReadable(linked, 'signed-in-integration');
    expect(summary).toMatch(new RegExp(`Approvers\\s*\\n\\s*${escapeRegExp(await playgroundUser())}`));
    await chat.shoot(linked, `${SHOTS}55-signed-in-integration.png`);
  }, 180_000);

  it('schedule: a plan connected by sign-in can run daily (a pasted token would be refused)', async () => {
    await chat.send(`schedule "${PLAN}" daily at 09:00 Europe/Berlin`);
    const scheduled = await chat.waitForCard(`Scheduled: ${PAIR}`, 90_000);
    const text = await expectReadable(scheduled, 'signed-in-scheduled');
    expect(text).not.toMatch(/bare access token|access token expires/i);
    expect(text).toMatch(/Schedule\s+Daily at 09:00 \(Europe\/Berlin\)/);
    expect(text).toMatch(/Next runs \(Europe\/Berlin\)/);
    await chat.shoot(scheduled, `${SHOTS}56-signed-in-scheduled.png`);
  }, 180_000);

  it('sync: the preview lists one creation per plan task, and nothing is written before approval', async () => {
    await chat.send(`sync project "${PLAN}"`);
    const preview = await chat.waitForCard(`Preview: ${PAIR}`, 150_000);
    const text = await expectReadable(preview, 'signed-in-preview');
    planned = Number(/Create in ADO\s*\n\s*(\d+)/.exec(text)?.[1]);
    expect(planned).toBe(apolloTasks().length);
    expect(text).toMatch(/Conflicts\s*\n\s*0/);
    expect(ado.state.items.size, 'nothing is written to ADO before approval').toBe(itemsAtStart);
    await chat.shoot(preview, `${SHOTS}57-signed-in-preview.png`);
  }, 180_000);

  it('approve: the preview turns into the report, counting what was created', async () => {
    await chat.press(chat.card(`Preview: ${PAIR}`), 'Approve and apply');
    const report = await chat.waitForCard(`Synced: ${PAIR}`, 150_000);
    const text = await expectReadable(report, 'signed-in-report');
    expect(text).toMatch(new RegExp(`Approved by\\s*\\n\\s*${escapeRegExp(await playgroundUser())}`));
    expect(text).toMatch(new RegExp(`Changed\\s*\\n\\s*${planned}\\b`));
    expect(text.match(/✓ Create /g), text).toHaveLength(planned);
    await chat.shoot(report, `${SHOTS}58-signed-in-report.png`);
  }, 180_000);

  it('black box: ADO holds every Apollo Cloud task once, under its plan parent; the plan itself is untouched', async () => {
    await bot.bot.background.drain();
    await dataverse.settle();
    expectPlanInPhoenix(ado, apolloTasks(), { itemsAtStart, planned });
    expect(dataverse.state.list('msdyn_operationset')).toHaveLength(0);
  }, 60_000);

  it('no card and no log line shows a token, the password or the PAT', async () => {
    const shown = (await chat.page.locator('.fai-OutputCard').allInnerTexts()).join('\n');
    expect(shown).toContain(`Synced: ${PAIR}`);
    const logs = bot.logText();
    expect(logs.length).toBeGreaterThan(0);
    for (const text of [shown, logs]) {
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
      expect(text).not.toContain(ADO_DEMO_PATS.fullAccess);
      expect(text).not.toContain(ACCOUNT.password);
    }
  }, 60_000);
});
