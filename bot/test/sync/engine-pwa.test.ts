import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPwaSimulator, type PwaSimulator } from '../../../sim/pwa/server.js';
import { applyPlan } from '../../src/sync/apply.js';
import { approvePlan } from '../../src/sync/approve.js';
import { createPlanSide } from '../../src/adapters/plan-side.js';
import { createStoreJournal } from '../../src/adapters/store-journal.js';
import { buildPlan } from '../../src/sync/build-plan.js';
import { mergeLinks } from '../../src/sync/links.js';
import type { Integration, Link } from '../../src/sync/model.js';
import type { PlanSide, SyncPorts } from '../../src/sync/ports.js';
import { connectorFor } from '../connectors/pwa/harness.js';
import { openTestStore, type TestStore } from '../store/support.js';
import { integrationFor } from './support/fixtures.js';
import { MemoryAdo } from './support/memory-ado.js';

/**
 * The engine with its production plan side: the real PWA connector against the PWA simulator,
 * and the journal in the real (embedded) Cosmos store. ADO is the in-memory double until the ADO
 * connector lands; then this suite runs against the ADO simulator too.
 */
describe('engine end to end with the PWA connector', () => {
  let sim: PwaSimulator;
  let t: TestStore;
  let plan: PlanSide;
  let ado: MemoryAdo;
  let integration: Integration;
  let links: Link[] = [];
  let runs = 0;

  const ports = (): SyncPorts => ({ ado, plan, journal: createStoreJournal(t.store.journal, 'tenant-e2e', integration.id) });
  const preview = async () => buildPlan({ integration, planItems: await plan.readScope(integration.scope.plan), adoItems: await ado.readScope(), links });
  async function sync() {
    const p = await preview();
    const approval = approvePlan(p, p.hash);
    if (!approval.ok) throw new Error(approval.problem);
    const outcome = await applyPlan(approval.plan, ports(), { runId: `run-${++runs}`, integration });
    links = mergeLinks(links, outcome);
    return { plan: p, outcome };
  }

  beforeAll(async () => {
    sim = await startPwaSimulator({ port: 0, queueJobMs: 0, timeZone: 'America/Los_Angeles' });
    t = await openTestStore();
    const connector = connectorFor(sim, 'oauth', 'nometadata', { timeZone: 'America/Los_Angeles' });
    plan = createPlanSide(connector);
    ado = new MemoryAdo();
    const apollo = (await connector.findProjects('Apollo'))[0]!.project;
    const base = integrationFor('Agile');
    integration = { ...base, id: 'int-apollo', timeZone: 'America/Los_Angeles', scope: { ...base.scope, plan: { projectId: apollo.id, tasks: 'all' } } };
  });
  afterAll(async () => {
    await sim?.close();
    await t?.dispose();
  });

  it('creates the whole plan in ADO with the same hierarchy and calendar days', async () => {
    const tasks = await plan.readScope(integration.scope.plan);
    const { plan: first, outcome } = await sync();
    expect(first.counts.createAdo).toBe(tasks.length);
    expect(outcome.results.every((r) => r.status === 'done')).toBe(true);
    expect(ado.items.size).toBe(tasks.length);

    const adoOf = new Map(links.map((l) => [l.planKey, l.adoKey]));
    for (const task of tasks) {
      const item = ado.items.get(adoOf.get(task.key)!)!;
      expect(item.fields['System.Title']).toBe(task.fields.Name);
      expect(item.parentKey).toBe(task.parentKey ? adoOf.get(task.parentKey)! : null);
      const start = item.fields['Microsoft.VSTS.Scheduling.StartDate'];
      if (typeof task.fields.Start === 'string' && typeof start === 'string') {
        // A plan day is midnight of that day in the site's zone: no day shift on the way to ADO.
        const localDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles' }).format(new Date(start));
        expect(localDay).toBe(task.fields.Start.slice(0, 10));
      }
    }
    const types = new Set([...ado.items.values()].map((i) => i.type));
    expect(types.has('Task')).toBe(true);
  });

  it('converges: a fresh preview after apply has nothing to do', async () => {
    const again = await preview();
    expect(again.operations).toEqual([]);
    expect(again.conflicts).toEqual([]);
  });

  it('brings an ADO edit back into the published plan, and the journal holds every create', async () => {
    const link = links.find((l) => ado.items.get(l.adoKey)!.type === 'Task')!;
    ado.edit(link.adoKey, { 'System.Title': 'Renamed in ADO', 'System.State': 'Closed' });
    const { outcome } = await sync();
    expect(outcome.results).toEqual([expect.objectContaining({ status: 'done' })]);
    const task = (await plan.readByKeys(integration.scope.plan.projectId, [link.planKey]))[0]!;
    expect(task.fields).toMatchObject({ Name: 'Renamed in ADO', PercentComplete: 100 });
    const simTask = sim.state.projects.flatMap((p) => p.tasks).find((x) => x.Id.toLowerCase() === link.planKey.toLowerCase());
    expect(simTask?.Name).toBe('Renamed in ADO');

    const journal = await createStoreJournal(t.store.journal, 'tenant-e2e', integration.id).list('run-1');
    expect(journal.filter((e) => e.state === 'done')).toHaveLength(links.length);
    // Closing the task sets 100 % in the plan; PWA then counts its work as actual and rolls the
    // percentage up into the summary tasks. Those recalculated values flow back to ADO on the next
    // run (ADO-side updates only, never conflicts), after which both sides agree.
    const followUp = await preview();
    expect(followUp.conflicts).toEqual([]);
    expect(followUp.operations.length).toBeGreaterThan(0);
    expect(followUp.operations.every((o) => o.kind === 'update' && o.side === 'ado')).toBe(true);
    await sync();
    expect((await preview()).operations).toEqual([]);
  });
});
