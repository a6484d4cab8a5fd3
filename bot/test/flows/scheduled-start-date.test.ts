import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorFor as adoConnector } from '../connectors/ado/harness.js';
import { connectorFor as pwaConnector } from '../connectors/pwa/harness.js';
import { cardOf } from '../support/fake-connector.js';
import { Journey, TENANT, cardText, type Card } from '../support/journey.js';
import type { SyncPlan } from '../../src/sync/plan.js';
import { connectBoth, linkWithDefaults } from './support.js';

/**
 * The synchronization start date over HTTP: "schedule Apollo ... starting <date>" on a project
 * whose items were last changed long before, then one edit on each side after the date. The
 * scheduled run's preview brings over only the edited items (and their parents, for the
 * hierarchy) and says how many unchanged items were left out.
 */
describe('scheduled sync with a start date', () => {
  let offset = 0;
  const j = new Journey();
  j.conversationType = 'groupChat';
  let integrationId: string;
  const LONG_AGO = '2026-01-05T09:00:00.000Z';

  beforeAll(async () => {
    await j.start({ seams: { scheduler: 'manual', now: () => new Date(Date.now() + offset) } });
    await connectBoth(j);
    await linkWithDefaults(j, 'link project Apollo to ADO project Phoenix', { direction: 'two-way' });
    integrationId = (await j.bot.bot.store.integrations.list(TENANT)).items[0]!.id;
  });
  afterAll(() => j.stop());

  it('leaves the items unchanged since the start date out of the preview, and says so', async () => {
    // Everything in both systems was last changed in January (the PWA seed already is).
    for (const item of j.ado.state.items.values()) item.fields['System.ChangedDate'] = LONG_AGO;
    const apollo = j.pwa.state.projects.find((p) => p.Name === 'Apollo')!;
    expect(apollo.tasks.every((t) => t.Modified < '2026-02-01')).toBe(true);

    const today = new Date().toISOString().slice(0, 10);
    const scheduled = cardText((await j.say(`schedule Apollo daily at 09:00 UTC starting ${today}`)).card);
    expect(scheduled).toMatch(/Scheduled: Apollo ↔ Phoenix/);

    // After the start date: one edit in the plan, one in ADO, through the systems' own APIs.
    const ledger = [...j.ado.state.items.values()].find((w) => w.fields['System.Title'] === 'Points ledger query')!;
    await adoConnector(j.ado).update({ id: ledger.id, expectedRev: ledger.rev, fields: { 'Microsoft.VSTS.Scheduling.RemainingWork': 5 } });
    const goLive = apollo.tasks.find((t) => t.Name === 'Go-live')!;
    await pwaConnector(j.pwa, 'onprem', 'nometadata').applyChanges({ projectId: apollo.Id, creates: [], updates: [{ id: goLive.Id, notes: 'Moved after the freeze.' }] });
    expect(apollo.tasks.find((t) => t.Name === 'Go-live')!.Modified >= today).toBe(true);

    // Past the first run.
    const due = (await j.bot.bot.store.integrations.get(TENANT, integrationId))!.scheduling!.nextRunAt!;
    offset = Date.parse(due) - Date.now() + 60_000;
    const before = j.activities.length;
    expect((await j.bot.bot.scheduler.tick()).outcomes.succeeded).toBe(1);

    const cards = j.activities.slice(before).filter((a) => a.method === 'POST').map((a) => cardOf(a) ?? {}) as Card[];
    expect(cards).toHaveLength(1);
    const preview = cardText(cards[0]);
    expect(preview).toMatch(/^Preview: Apollo ↔ Phoenix/);

    const runs = (await j.bot.bot.store.runs.list(TENANT, integrationId)).items;
    const plan = runs.find((r) => r.trigger.kind === 'schedule')!.plan as SyncPlan;
    const titleOf = (side: 'ado' | 'plan', fields: Readonly<Record<string, unknown>>) => String(side === 'ado' ? fields['System.Title'] : fields['Name']);
    const created = (side: 'ado' | 'plan') => plan.operations.flatMap((o) => (o.kind === 'create' && o.side === side ? [titleOf(side, o.fields)] : [])).sort();
    // Go-live comes with its summary task; the ledger task with its story, feature and epic.
    expect(created('ado')).toEqual(['Go-live', 'Launch']);
    expect(created('plan')).toEqual(['Loyalty program', 'Points balance', 'Points ledger query', 'See my points balance']);
    expect(plan.leftOut).toMatchObject({ planTasks: 14 });
    expect(plan.leftOut!.workItems).toBeGreaterThan(5);
    expect(preview).toContain(`14 plan tasks and ${plan.leftOut!.workItems} work items unchanged since ${today}`);
    expect(preview).toMatch(/were left out: that is the synchronization start date/);
  });
});
