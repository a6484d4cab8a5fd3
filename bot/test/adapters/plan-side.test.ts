import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPwaSimulator, type PwaSimulator } from '../../../sim/pwa/server.js';
import { createPlanSide } from '../../src/adapters/plan-side.js';
import type { PlanSide, PlanWrite } from '../../src/sync/ports.js';
import { connectorFor } from '../connectors/pwa/harness.js';

/** The engine's PlanSide through the real PWA connector against the PWA simulator. */
describe('PlanSide over the PWA connector', () => {
  let sim: PwaSimulator;
  let side: PlanSide;
  let projectId: string;

  beforeAll(async () => {
    sim = await startPwaSimulator({ port: 0, queueJobMs: 0 });
    const connector = connectorFor(sim, 'onprem', 'nometadata');
    side = createPlanSide(connector);
    projectId = (await connector.findProjects('Apollo'))[0]!.project.id;
  });
  afterAll(async () => sim?.close());

  it('reads published tasks as engine items with hierarchy, PWA field names and versions', async () => {
    const items = await side.readScope({ projectId, tasks: 'all' });
    expect(items.length).toBeGreaterThan(3);
    const child = items.find((i) => i.parentKey !== null)!;
    expect(items.some((i) => i.key === child.parentKey)).toBe(true);
    expect(items.find((i) => i.key === child.parentKey)!.type).toBe('Summary');
    for (const item of items) {
      expect(item.system).toBe('plan');
      expect(typeof item.fields.Name).toBe('string');
      expect(String(item.fields.Work)).toMatch(/^\d+(\.\d+)?h$/);
      expect(item.version).not.toBe('');
    }
    const byKeys = await side.readByKeys(projectId, [child.key, randomUUID()]);
    expect(byKeys.map((i) => i.key)).toEqual([child.key]);
  });

  it('creates under a new parent and updates in one publish cycle; a rerun of the create counts as done', async () => {
    const before = await side.readScope({ projectId, tasks: 'all' });
    // A task with no actual work yet: Project never lets Work drop below the work already done.
    const target = before.find((i) => i.type === 'Task' && i.fields.ActualWork === '0h')!;
    const parentKey = randomUUID();
    const childKey = randomUUID();
    const writes: PlanWrite[] = [
      { kind: 'create', opId: 'c1', key: parentKey, parentKey: null, fields: { Name: 'From ADO: Epic 7', Start: '2026-04-01T08:00:00' } },
      { kind: 'create', opId: 'c2', key: childKey, parentKey, fields: { Name: 'From ADO: Story 8', Notes: 'Acceptance: <b>done</b>' } },
      { kind: 'update', opId: 'u1', key: target.key, expectedVersion: target.version, fields: { Name: 'Renamed by sync', PercentComplete: 50, Work: '12h' } },
    ];
    const results = await side.applyBatch(projectId, writes);
    expect(results).toEqual([{ opId: 'c1', status: 'done' }, { opId: 'c2', status: 'done' }, { opId: 'u1', status: 'done' }]);

    const after = new Map((await side.readScope({ projectId, tasks: 'all' })).map((i) => [i.key.toLowerCase(), i]));
    expect(after.get(childKey)!.parentKey?.toLowerCase()).toBe(parentKey);
    expect(after.get(childKey)!.fields.Name).toBe('From ADO: Story 8');
    const updated = after.get(target.key.toLowerCase())!;
    expect(updated.fields).toMatchObject({ Name: 'Renamed by sync', PercentComplete: 50, Work: '12h' });
    expect(updated.version).not.toBe(target.version);
    expect(sim.state.projects.find((p) => p.Id.toLowerCase() === projectId.toLowerCase())?.checkout ?? null).toBeNull();

    // Resume after a crash: the same create again is found, not duplicated.
    const rerun = await side.applyBatch(projectId, [writes[0]!]);
    expect(rerun).toEqual([{ opId: 'c1', status: 'done' }]);
    const named = [...(await side.readScope({ projectId, tasks: 'all' }))].filter((i) => i.fields.Name === 'From ADO: Epic 7');
    expect(named).toHaveLength(1);
  });

  it('reports a stale precondition per item and writes nothing for it', async () => {
    const items = await side.readScope({ projectId, tasks: 'all' });
    const target = items.find((i) => i.type === 'Task' && i.fields.Name !== 'Renamed by sync')!;
    const results = await side.applyBatch(projectId, [
      { kind: 'update', opId: 'old', key: target.key, expectedVersion: 'an-older-version', fields: { Name: 'Should not land' } },
    ]);
    expect(results).toEqual([{ opId: 'old', status: 'stale' }]);
    const again = (await side.readByKeys(projectId, [target.key]))[0]!;
    expect(again.fields.Name).toBe(target.fields.Name);
  });

  it('fails the batch with the connector\'s plain-words error when someone else holds the project', async () => {
    const items = await side.readScope({ projectId, tasks: 'all' });
    const target = items.find((i) => i.type === 'Task')!;
    sim.checkOutAs('Apollo');
    await expect(side.applyBatch(projectId, [
      { kind: 'update', opId: 'u', key: target.key, expectedVersion: target.version, fields: { Name: 'Blocked' } },
    ])).rejects.toThrow(/checked out/i);
  });
});
