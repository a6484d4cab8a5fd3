import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import type { TestBot } from '../bot/test/support/test-bot.js';
import { ADO_DEMO_PATS, type AdoSimulator } from '../sim/ado/server.js';
import { PWA_DEMO_CREDENTIALS, type PwaSimulator } from '../sim/pwa/server.js';
import { PlaygroundChat } from './support/chat.js';
import { expectReadable as readable, playgroundUser as signedInUser, escapeRegExp } from './support/checks.js';
import type { RunningPlayground } from './support/playground.js';
import { SHOTS, startPlaygroundWorld, type PlaygroundWorld } from './support/world.js';

/**
 * The main chat journey in a real Teams-like client: the Microsoft 365 Agents Playground in headless
 * Chromium, the real bot, and both simulators. Connect ADO, connect PWA, link Apollo to Phoenix, sync,
 * see the preview, approve, see the report; then check ADO itself. Each step's card is photographed
 * to artifacts/e2e/1x-*.png for a person to read.
 */

describe('Agents Playground: connect, link, sync, approve', () => {
  let world: PlaygroundWorld;
  let bot: TestBot;
  let playground: RunningPlayground;
  let ado: AdoSimulator;
  let pwa: PwaSimulator;
  let chat: PlaygroundChat;
  let planned = 0;
  let itemsAtStart = 0;

  beforeAll(async () => {
    world = await startPlaygroundWorld();
    ({ bot, playground, ado, pwa } = world);
    itemsAtStart = ado.state.items.size;
    chat = new PlaygroundChat(world.page);
    await chat.page.goto(playground.url);
    await chat.waitForCard('Welcome to PlanBridge', 45_000);
  }, 120_000);
  afterAll(() => world?.close());

  const expectReadable = (card: Locator, name: string): Promise<string> => readable(chat, card, name);
  const playgroundUser = (): Promise<string> => signedInUser(playground.url);

  it('connect ado: the form takes URL, masked PAT, expiry and name; the checklist shows every scope present', async () => {
    await chat.send('connect ado');
    const form = await chat.waitForCard('Connect Azure DevOps', 45_000);
    await expectReadable(form, 'connect-ado');
    const expires = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    await chat.fill(form, 'Organization URL', ado.url);
    await chat.fill(form, 'Personal access token', ADO_DEMO_PATS.fullAccess);
    await chat.fill(form, 'PAT expiry date', expires);
    await chat.fill(form, 'Display name', 'Contoso ADO');
    expect(await chat.input(form, 'Personal access token').getAttribute('type')).toBe('password');
    await chat.shoot(form, `${SHOTS}10-connect-ado.png`);

    await chat.press(form, 'Connect');
    const checklist = await chat.waitForCard('Connected to Azure DevOps: Contoso ADO');
    const text = await expectReadable(checklist, 'ado-checklist');
    for (const scope of ['Project and Team: Read', 'Work Items: Read & write', 'Identity: Read', 'Graph: Read']) expect(text).toMatch(new RegExp(`${escapeRegExp(scope)}\\s*\\n\\s*present`));
    expect(text).not.toMatch(/missing/);
    expect(text).toContain(`expires on ${expires}`);
    await chat.shoot(checklist, `${SHOTS}11-ado-checklist.png`);
  }, 90_000);

  it('connect pwa: Windows sign-in picked with the radio button; the checklist shows access allowed', async () => {
    await chat.send('connect pwa');
    const form = await chat.waitForCard('Connect Project Web App');
    await expectReadable(form, 'connect-pwa');
    await chat.fill(form, 'PWA site URL', pwa.url);
    await chat.choose(form, 'Windows sign-in (Project Server, NTLM)');
    await chat.fill(form, 'Account', PWA_DEMO_CREDENTIALS.username);
    await chat.fill(form, 'Access token or password', PWA_DEMO_CREDENTIALS.password);
    await chat.fill(form, 'Display name', 'Contoso PWA');
    expect(await chat.input(form, 'Site time zone').inputValue()).toBe('UTC');
    await chat.shoot(form, `${SHOTS}12-connect-pwa.png`);

    await chat.press(form, 'Connect');
    const checklist = await chat.waitForCard('Connected to Project Web App: Contoso PWA');
    const text = await expectReadable(checklist, 'pwa-checklist');
    expect(text).toContain(`with Windows sign-in (NTLM) as ${PWA_DEMO_CREDENTIALS.username}`);
    expect(text).toMatch(/Read projects and tasks\s*\n\s*allowed/);
    expect(text).toMatch(/Edit, publish and check in plans\s*\n\s*allowed/);
    await chat.shoot(checklist, `${SHOTS}13-pwa-checklist.png`);
  }, 60_000);

  it('link: the setup card holds the Agile defaults for Phoenix, and Create integration links Apollo to it', async () => {
    await chat.send('link project Apollo to ADO project Phoenix');
    const setup = await chat.waitForCard('Link Apollo to Azure DevOps');
    // Compact choice sets render as comboboxes: pick the plan the way a person would.
    await chat.select(setup, 'Plan (Project Web App)', 'Apollo');
    expect(await chat.input(setup, 'Plan (Project Web App)').inputValue()).toBe('Apollo');
    expect(await chat.input(setup, 'Azure DevOps project(s)').inputValue()).toBe('Phoenix');
    expect(await chat.input(setup, 'Direction').inputValue()).toBe('Plan to ADO (one way)');
    await chat.press(setup, 'More options (scope, hierarchy, new items)');
    const text = await expectReadable(setup, 'link-setup');
    expect(text).toMatch(/Phoenix uses the Agile process, so plan outline levels map to Epic > Feature > User Story/);
    expect(await chat.input(setup, 'Hierarchy, top first').inputValue()).toBe('Epic > Feature > User Story');
    expect(await chat.input(setup, 'Leaf tasks become').inputValue()).toBe('Task');
    await chat.shoot(setup, `${SHOTS}14-link-setup.png`);

    await chat.press(setup, 'Create integration');
    const linked = await chat.waitForCard('Linked: Apollo ↔ Phoenix');
    const summary = await expectReadable(linked, 'integration');
    expect(summary).toMatch(/Hierarchy\s*\n\s*Epic > Feature > User Story/);
    expect(summary).toMatch(/Direction\s*\n\s*Plan to ADO \(one way\)/);
    expect(summary).toMatch(new RegExp(`Approvers\\s*\\n\\s*${escapeRegExp(await playgroundUser())}`));
    await chat.shoot(linked, `${SHOTS}15-integration.png`);
  }, 60_000);

  it('sync: one progress card turns into the preview in place, listing parents first', async () => {
    const before = await chat.cards().count();
    await chat.recordTitles();
    await chat.send('sync project Apollo to ADO');
    const preview = await chat.waitForCard('Preview: Apollo ↔ Phoenix', 60_000);
    const text = await expectReadable(preview, 'sync-preview');
    expect(await chat.cards().count(), 'the progress card is replaced, not followed by a second message').toBe(before + 1);
    expect((await chat.recordedTitles()).some((t) => t.startsWith('Preparing a preview: Apollo ↔ Phoenix'))).toBe(true);
    planned = Number(/Create in ADO\s*\n\s*(\d+)/.exec(text)?.[1]);
    expect(planned).toBeGreaterThan(5);
    expect(text).toContain(`${planned} changes; nothing is written until an approver approves.`);
    expect(text).toMatch(/Conflicts\s*\n\s*0/);
    expect(text).toContain(`Showing 1 to 10 of ${planned}`);
    expect(text.indexOf('Create Epic "Discovery" in ADO')).toBeGreaterThan(0);
    expect(text.indexOf('Create Epic "Discovery" in ADO')).toBeLessThan(text.indexOf('Create Feature "Requirements" in ADO'));
    expect(ado.state.items.size, 'nothing is written before approval').toBe(itemsAtStart);
    await chat.shoot(preview, `${SHOTS}16-preview.png`);
  }, 90_000);

  it('approve: the preview turns into the report, counting what was created', async () => {
    const before = await chat.cards().count();
    await chat.recordTitles();
    await chat.press(chat.card('Preview: Apollo ↔ Phoenix'), 'Approve and apply');
    const report = await chat.waitForCard('Synced: Apollo ↔ Phoenix', 60_000);
    const text = await expectReadable(report, 'sync-report');
    expect(await chat.cards().count(), 'the report replaces the preview').toBe(before);
    expect(await chat.cards().filter({ hasText: /^\s*Preview: Apollo/ }).count()).toBe(0);
    expect((await chat.recordedTitles()).some((t) => t.startsWith('Applying: Apollo ↔ Phoenix'))).toBe(true);
    expect(text).toMatch(new RegExp(`Approved by\\s*\\n\\s*${escapeRegExp(await playgroundUser())}`));
    expect(text).toMatch(new RegExp(`Changed\\s*\\n\\s*${planned}\\b`));
    expect(text).toMatch(/Skipped\s*\n\s*0\b/);
    expect(text).toMatch(/Time taken\s*\n\s*\d+\.\d s/);
    expect(text.match(/✓ Create /g), text).toHaveLength(planned);
    expect(await report.getByRole('link', { name: 'Open', exact: true }).count()).toBe(planned);
    expect(await report.getByRole('link', { name: 'Open', exact: true }).first().getAttribute('href')).toMatch(/\/_workitems\/edit\/\d+$/);
    await chat.shoot(report, `${SHOTS}17-report.png`);
  }, 90_000);

  it('black box: ADO holds every Apollo task once, under its plan parent, typed by outline level', async () => {
    await bot.bot.background.drain();
    const tasks = pwa.state.projects.find((p) => p.Name === 'Apollo')!.tasks;
    const phoenix = ado.state.projects.find((p) => p.name === 'Phoenix')!;
    const ours = [...ado.state.items.values()].filter((w) => w.projectId === phoenix.id && !w.deleted && String(w.fields['System.Tags'] ?? '').includes('planbridge:'));
    expect(ours).toHaveLength(tasks.length);
    expect(ours).toHaveLength(planned);
    expect(ado.state.items.size - itemsAtStart).toBe(planned);
    const byTitle = new Map(ours.map((w) => [String(w.fields['System.Title']), w]));
    expect(byTitle.size).toBe(tasks.length);
    const levels = ['Epic', 'Feature', 'User Story'];
    for (const task of tasks) {
      const item = byTitle.get(task.Name);
      expect(item, `work item for "${task.Name}"`).toBeDefined();
      expect(item!.fields['System.WorkItemType'], `type of "${task.Name}"`).toBe(task.IsSummary ? levels[task.OutlineLevel - 1] : 'Task');
      const parentRel = item!.relations.find((r) => r.rel === 'System.LinkTypes.Hierarchy-Reverse');
      const parentTask = tasks.find((t) => t.Id === task.ParentId);
      const parentId = parentRel ? Number(/(\d+)$/.exec(parentRel.url)![1]) : null;
      expect(parentId, `parent of "${task.Name}"`).toBe(parentTask ? byTitle.get(parentTask.Name)!.id : null);
    }
    expect(byTitle.get('Discovery')!.fields['System.WorkItemType']).toBe('Epic');
    expect(byTitle.get('Requirements')!.fields['System.WorkItemType']).toBe('Feature');
    expect(byTitle.get('API')!.fields['System.WorkItemType']).toBe('User Story');
  });

  it('no card in the chat and no log line shows the PAT or the password that were typed', async () => {
    const shown = (await chat.page.locator('.fai-OutputCard').allInnerTexts()).join('\n');
    expect(shown).toContain('Synced: Apollo ↔ Phoenix');
    for (const secret of [ADO_DEMO_PATS.fullAccess, PWA_DEMO_CREDENTIALS.password]) {
      expect(shown).not.toContain(secret);
      expect(bot.logText()).not.toContain(secret);
    }
  });
});
