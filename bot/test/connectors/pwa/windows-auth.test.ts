import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPwaSimulator, type PwaSimulator } from '../../../../sim/pwa/server.js';
import { PlanConnectorError } from '../../../src/connectors/ppm.js';
import { PwaConnector } from '../../../src/connectors/pwa/connector.js';
import { connectorFor } from './harness.js';

/** Project Server SE with Windows authentication: the connector signs in by NTLM, reads and writes. */
describe('PWA connector with Windows authentication (NTLM)', () => {
  let sim: PwaSimulator;
  beforeAll(async () => {
    sim = await startPwaSimulator({ port: 0, queueJobMs: 0 });
  });
  afterAll(async () => sim?.close());

  it('signs in with the demo account, reads, and writes with a form digest', async () => {
    const c = connectorFor(sim, 'ntlm', 'nometadata');
    const apollo = (await c.findProjects('Apollo'))[0]!.project;
    const before = await c.readTasks(apollo.id);
    const task = before.find((t) => !t.isSummary)!;
    await c.applyChanges({ projectId: apollo.id, creates: [], updates: [{ id: task.id, name: `${task.name} (NTLM)` }] });
    expect((await c.readTasks(apollo.id)).find((t) => t.id === task.id)!.name).toBe(`${task.name} (NTLM)`);
  });

  it('refuses a wrong password with an error that asks for the connection to be fixed and never shows the password', async () => {
    const c = new PwaConnector({ siteUrl: sim.url, auth: { kind: 'ntlm', username: 'DEMO\\pm', password: 'not-the-password' }, pollIntervalMs: 10 });
    const err = await c.listProjects().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(PlanConnectorError);
    expect(err).toMatchObject({ code: 'auth-failed', needsAttention: true });
    expect((err as Error).message).toMatch(/Windows sign-in \(NTLM\) for DEMO\\pm/);
    expect((err as Error).message).not.toContain('not-the-password');
  });
});
