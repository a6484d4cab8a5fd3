import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdoSimulator, type AdoSimulator } from '../../../sim/ado/server.js';
import { startPwaSimulator, type PwaSimulator } from '../../../sim/pwa/server.js';
import { createAdoSide } from '../../src/adapters/ado-side.js';
import { createPlanSide } from '../../src/adapters/plan-side.js';
import { connectorFor as adoConnector } from '../connectors/ado/harness.js';
import { connectorFor as pwaConnector } from '../connectors/pwa/harness.js';

/**
 * Both sides give engine items a modified instant, read through the real connectors from the
 * simulators: PWA's `Modified` (a wall-clock time in the site's zone) and ADO's System.ChangedDate.
 * Every published change moves it, including a summary task changed only by its child.
 */
describe('modified times through the connectors', () => {
  let pwa: PwaSimulator;
  let ado: AdoSimulator;

  beforeAll(async () => {
    [pwa, ado] = await Promise.all([startPwaSimulator({ port: 0, queueJobMs: 0, timeZone: 'Asia/Kolkata' }), startAdoSimulator({ port: 0 })]);
  });
  afterAll(async () => Promise.all([pwa?.close(), ado?.close()]));

  it('plan tasks: the seed time as an instant, then the publish time for the edited task and its rolled-up summary', async () => {
    const connector = pwaConnector(pwa, 'onprem', 'nometadata', { timeZone: 'Asia/Kolkata' });
    const side = createPlanSide(connector);
    const project = pwa.state.projects.find((p) => p.Name === 'Apollo')!;
    const items = await side.readScope({ projectId: project.Id, tasks: 'all' });
    // Seeded at 09:00 site time in Kolkata (UTC+05:30).
    expect(new Set(items.map((i) => i.modifiedAt))).toEqual(new Set(['2026-01-05T03:30:00Z']));

    const task = project.tasks.find((t) => t.Name === 'Go-live')!;
    const before = Date.now() - 1000;
    await connector.applyChanges({ projectId: project.Id, creates: [], updates: [{ id: task.Id, finish: '2026-12-30T17:00:00' }] });
    const after = await side.readScope({ projectId: project.Id, tasks: 'all' });
    const at = (name: string) => Date.parse(after.find((i) => i.fields['Name'] === name)!.modifiedAt!);
    expect(at('Go-live')).toBeGreaterThanOrEqual(before);
    expect(at('Go-live')).toBeLessThanOrEqual(Date.now() + 1000);
    expect(at('Launch')).toBeGreaterThanOrEqual(before); // its Finish rolled up
    expect(at('Discovery')).toBe(Date.parse('2026-01-05T03:30:00Z'));
  });

  it('work items: System.ChangedDate, moved by every update', async () => {
    const connector = adoConnector(ado);
    const side = createAdoSide(connector);
    const items = await side.readScope([{ project: 'Phoenix' }]);
    expect(items.length).toBeGreaterThan(3);
    for (const item of items) expect(item.modifiedAt).toBe(new Date(String(item.fields['System.ChangedDate'])).toISOString());

    const first = items[0]!;
    const before = Date.now() - 1000;
    await connector.update({ id: Number(first.key), expectedRev: Number(first.version), fields: { 'System.Title': 'Renamed' } });
    const [again] = await side.readByKeys([first.key]);
    expect(Date.parse(again!.modifiedAt!)).toBeGreaterThanOrEqual(before);
    expect(again!.modifiedAt! > first.modifiedAt!).toBe(true);
  });
});
