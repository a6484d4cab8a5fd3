import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import type { TestBot } from '../bot/test/support/test-bot.js';
import { ADO_DEMO_PATS, type AdoSimulator } from '../sim/ado/server.js';
import { DATAVERSE_DEMO_CREDENTIALS, SEED_IDS, type DataverseSimulator } from '../sim/dataverse/server.js';
import { PlaygroundChat } from './support/chat.js';
import { expectReadable as readable, playgroundUser as signedInUser, escapeRegExp } from './support/checks.js';
import { startPlannerPlaygroundWorld, type PlannerPlaygroundWorld } from './support/planner-world.js';
import type { RunningPlayground } from './support/playground.js';
import { SHOTS } from './support/world.js';
import { expectPlanInPhoenix } from './support/plan-in-ado.js';

/**
 * The main journey with Planner premium as the plan system, in a real Teams-like client: the
 * Microsoft 365 Agents Playground in headless Chromium, the real bot, and the ADO and Dataverse
 * simulators. Connect ADO, connect Planner premium (environment URL and a token), link "Apollo Cloud"
 * to Phoenix, sync, see the preview, approve, see the report; then check ADO itself, and that no
 * secret shows. Each step's card is photographed to artifacts/e2e/3x-*.png. Timeouts are generous
 * and nothing is timed: a busy two-core machine runs the browser, the Playground and the bot at once.
 */
const PLAN = 'Apollo Cloud';
const PAIR = `${PLAN} ↔ Phoenix`;

describe('Agents Playground with Planner premium: connect, link, sync, approve', () => {
  let world: PlannerPlaygroundWorld;
  let bot: TestBot;
  let playground: RunningPlayground;
  let ado: AdoSimulator;
  let dataverse: DataverseSimulator;
  let chat: PlaygroundChat;
  let planned = 0;
  let itemsAtStart = 0;
  let planVersionsAtStart = '';

  const apolloTasks = () => dataverse.state.list('msdyn_projecttask').filter((t) => t._msdyn_project_value === SEED_IDS.apollo);
  const planVersions = () => JSON.stringify(apolloTasks().map((t) => [t.msdyn_projecttaskid, t.versionnumber]));

  beforeAll(async () => {
    world = await startPlannerPlaygroundWorld();
    ({ bot, playground, ado, dataverse } = world);
    itemsAtStart = ado.state.items.size;
    planVersionsAtStart = planVersions();
    chat = new PlaygroundChat(world.page);
    await chat.page.goto(playground.url, { timeout: 90_000 });
    await chat.waitForCard('Welcome to PlanBridge', 90_000);
  }, 240_000);
  afterAll(() => world?.close());

  const expectReadable = (card: Locator, name: string): Promise<string> => readable(chat, card, name);
  const playgroundUser = (): Promise<string> => signedInUser(playground.url);

  it('connect ado: URL and masked PAT; the checklist shows every scope present', async () => {
    await chat.send('connect ado');
    const form = await chat.waitForCard('Connect Azure DevOps', 90_000);
    await chat.fill(form, 'Organization URL', ado.url);
    await chat.fill(form, 'Personal access token', ADO_DEMO_PATS.fullAccess);
    await chat.fill(form, 'PAT expiry date', new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10));
    await chat.fill(form, 'Display name', 'Contoso ADO');
    expect(await chat.input(form, 'Personal access token').getAttribute('type')).toBe('password');
    await chat.press(form, 'Connect');
    const checklist = await chat.waitForCard('Connected to Azure DevOps: Contoso ADO', 90_000);
    const text = await expectReadable(checklist, 'ado-checklist');
    expect(text).not.toMatch(/missing/);
    await chat.shoot(checklist, `${SHOTS}30-planner-ado-checklist.png`);
  }, 180_000);

  it('connect planner: environment URL and masked token; the checklist shows read access, the Project licence and the schedule APIs', async () => {
    await chat.send('connect planner');
    const form = await chat.waitForCard('Connect Planner premium', 90_000);
    await expectReadable(form, 'connect-planner');
    await chat.fill(form, 'Dataverse environment URL', dataverse.url);
    // Microsoft 365 sign-in is offered first; this journey pastes the simulator's demo token.
    await chat.choose(form, 'An access token (expires within about an hour)');
    await chat.fill(form, 'Access token', DATAVERSE_DEMO_CREDENTIALS.bearerToken);
    await chat.fill(form, 'Display name', 'Contoso Planner');
    expect(await chat.input(form, 'Access token').getAttribute('type')).toBe('password');
    expect(await chat.input(form, 'Time zone').inputValue()).toBe('UTC');
    await chat.shoot(form, `${SHOTS}31-connect-planner.png`);

    await chat.press(form, 'Connect');
    const checklist = await chat.waitForCard('Connected to Planner premium: Contoso Planner', 90_000);
    const text = await expectReadable(checklist, 'planner-checklist');
    expect(text).toContain(`${dataverse.url} with an access token`);
    expect(text).toMatch(/Read plans, tasks, buckets, sprints and assignments\s*\n?\s*allowed/);
    expect(text).toMatch(/Microsoft Project licence \(Project Plan 1, 3 or 5\)\s*\n?\s*assigned/);
    expect(text).toMatch(/Change plans through the Project schedule APIs\s*\n?\s*allowed/);
    await chat.shoot(checklist, `${SHOTS}32-planner-checklist.png`);
  }, 180_000);

  it(`link: "${PLAN}" is found in Planner premium, and Create integration links it to Phoenix`, async () => {
    await chat.send(`link project "${PLAN}" to ADO project Phoenix`);
    const setup = await chat.waitForCard(`Link ${PLAN} to Azure DevOps`, 90_000);
    const text = await chat.text(setup);
    expect(text).toContain('Using Contoso Planner (Planner premium) and Contoso ADO.');
    // The plan picker is a compact choice set (a combobox); pick the plan the way a person would if it is not set.
    const plan = chat.input(setup, 'Plan (');
    if ((await plan.inputValue()) !== PLAN) await chat.select(setup, 'Plan (', PLAN);
    expect(await plan.inputValue()).toBe(PLAN);
    expect(await chat.input(setup, 'Azure DevOps project(s)').inputValue()).toBe('Phoenix');
    expect(await chat.input(setup, 'Direction').inputValue()).toBe('Plan to ADO (one way)');
    await chat.shoot(setup, `${SHOTS}33-planner-link-setup.png`);

    await chat.press(setup, 'Create integration');
    const linked = await chat.waitForCard(`Linked: ${PAIR}`, 90_000);
    const summary = await expectReadable(linked, 'planner-integration');
    expect(summary).toMatch(/Direction\s*\n\s*Plan to ADO \(one way\)/);
    expect(summary).toMatch(new RegExp(`Approvers\\s*\\n\\s*${escapeRegExp(await playgroundUser())}`));
    await chat.shoot(linked, `${SHOTS}34-planner-integration.png`);
  }, 180_000);

  it('sync: the preview lists one creation per plan task, and nothing is written before approval', async () => {
    await chat.send(`sync ${PLAN}`);
    const preview = await chat.waitForCard(`Preview: ${PAIR}`, 150_000);
    const text = await expectReadable(preview, 'planner-preview');
    planned = Number(/Create in ADO\s*\n\s*(\d+)/.exec(text)?.[1]);
    expect(planned).toBe(apolloTasks().length);
    expect(text).toContain(`${planned} changes; nothing is written until an approver approves.`);
    expect(text).toMatch(/Conflicts\s*\n\s*0/);
    expect(text).toContain('Create Epic "Discovery and design" in ADO');
    expect(ado.state.items.size, 'nothing is written to ADO before approval').toBe(itemsAtStart);
    await chat.shoot(preview, `${SHOTS}35-planner-preview.png`);
  }, 180_000);

  it('approve: the preview turns into the report, counting what was created', async () => {
    await chat.press(chat.card(`Preview: ${PAIR}`), 'Approve and apply');
    const report = await chat.waitForCard(`Synced: ${PAIR}`, 150_000);
    const text = await expectReadable(report, 'planner-report');
    expect(text).toMatch(new RegExp(`Approved by\\s*\\n\\s*${escapeRegExp(await playgroundUser())}`));
    expect(text).toMatch(new RegExp(`Changed\\s*\\n\\s*${planned}\\b`));
    expect(text).toMatch(/Skipped\s*\n\s*0\b/);
    expect(text.match(/✓ Create /g), text).toHaveLength(planned);
    await chat.shoot(report, `${SHOTS}36-planner-report.png`);
  }, 180_000);

  it('black box: ADO holds every Apollo Cloud task once, under its plan parent; the plan itself is untouched (one way)', async () => {
    await bot.bot.background.drain();
    await dataverse.settle();
    const byTitle = expectPlanInPhoenix(ado, apolloTasks(), { itemsAtStart, planned }, ['Epic', 'Feature', 'User Story']);
    expect(byTitle.get('Architecture')!.fields['System.WorkItemType']).toBe('Feature');
    // Plan to ADO one way: Dataverse got no operation set and no task changed.
    expect(dataverse.state.list('msdyn_operationset')).toHaveLength(0);
    expect(planVersions()).toBe(planVersionsAtStart);
  }, 60_000);

  it('no card in the chat and no log line shows the PAT or the Dataverse token that were typed', async () => {
    const shown = (await chat.page.locator('.fai-OutputCard').allInnerTexts()).join('\n');
    expect(shown).toContain(`Synced: ${PAIR}`);
    const logs = bot.logText();
    expect(logs).toContain('Planner connection added');
    for (const secret of [ADO_DEMO_PATS.fullAccess, DATAVERSE_DEMO_CREDENTIALS.bearerToken]) {
      expect(shown).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  }, 60_000);
});
