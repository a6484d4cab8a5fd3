import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationReference } from '@microsoft/teams.api';
import type { Stored, ConnectionDocument, IntegrationDocument, RunDocument } from '../../src/store/index.js';
import { openTestStore, sampleIntegration, tenant, type TestStore } from './support.js';

/**
 * Tenant A's data, looked up with tenant B's identity and A's exact ids, must stay invisible on
 * every read and query path, and B's writes must not touch it.
 */
describe('tenant isolation', () => {
  let t: TestStore;
  const owner = tenant('owner');
  const intruder = tenant('intruder');
  let connection: Stored<ConnectionDocument>;
  let integration: Stored<IntegrationDocument>;
  let run: Stored<RunDocument>;
  const ref: ConversationReference = {
    serviceUrl: 'https://smba.example/', channelId: 'msteams', bot: { id: '28:bot', name: 'PlanBridge', role: 'bot' },
    conversation: { id: 'a:owner-chat', tenantId: owner, conversationType: 'personal' },
  };

  beforeAll(async () => {
    t = await openTestStore();
    await t.store.conversations.save(owner, ref);
    connection = await t.store.connections.create(owner, { kind: 'ado', name: 'owner ado', url: 'https://dev.azure.com/owner', auth: { type: 'pat' }, secret: 'owner-pat-value' });
    integration = await t.store.integrations.create(owner, sampleIntegration('Owner plan'));
    await t.store.links.create(owner, { integrationId: integration.id, planTaskId: 'owner-task', workItemId: 1234 });
    run = (await t.store.runs.start(owner, { integrationId: integration.id, trigger: { kind: 'card', key: 'approval:owner' } })).run;
    await t.store.leases.acquire(owner, 'owner-job', 'owner-instance', 60_000);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('point reads with another tenant return nothing', async () => {
    expect(await t.store.conversations.get(intruder, 'a:owner-chat')).toBeUndefined();
    expect(await t.store.connections.get(intruder, connection.id)).toBeUndefined();
    expect(await t.store.integrations.get(intruder, integration.id)).toBeUndefined();
    expect(await t.store.links.getByPlanTask(intruder, integration.id, 'owner-task')).toBeUndefined();
    expect(await t.store.links.getByWorkItem(intruder, integration.id, 1234)).toBeUndefined();
    expect(await t.store.runs.get(intruder, integration.id, run.id)).toBeUndefined();
    expect(await t.store.leases.get(intruder, 'owner-job')).toBeUndefined();
  });

  it('queries with another tenant return nothing', async () => {
    expect((await t.store.conversations.list(intruder)).items).toEqual([]);
    expect(await t.store.connections.list(intruder)).toEqual([]);
    expect(await t.store.connections.list(intruder, { kind: 'ado' })).toEqual([]);
    expect((await t.store.integrations.list(intruder)).items).toEqual([]);
    expect((await t.store.links.list(intruder, integration.id)).items).toEqual([]);
    expect((await t.store.runs.list(intruder, integration.id)).items).toEqual([]);
    expect((await t.store.runs.summaries(intruder, integration.id)).items).toEqual([]);
  });

  it('writes with another tenant neither see nor change the owner\'s documents', async () => {
    await expect(t.store.connections.update(intruder, connection.id, () => ({ name: 'stolen' }))).rejects.toThrow(/does not exist/);
    await expect(t.store.integrations.update(intruder, integration.id, () => ({ name: 'stolen' }))).rejects.toThrow(/does not exist/);
    await expect(t.store.runs.update(intruder, integration.id, run.id, () => ({ status: 'failed' }))).rejects.toThrow(/does not exist/);
    expect(await t.store.connections.remove(intruder, connection.id)).toBe(false);
    expect(await t.store.integrations.remove(intruder, integration.id)).toBe(false);
    expect(await t.store.links.remove(intruder, integration.id, 'owner-task')).toBe(false);
    await t.store.conversations.remove(intruder, 'a:owner-chat');
    // The intruder can take a lease of the same name: it is a different lease, in its own partition.
    expect((await t.store.leases.acquire(intruder, 'owner-job', 'intruder-instance', 60_000))?.owner).toBe('intruder-instance');
    // The same ids are free for the intruder's own data, without clashing with the owner's.
    await t.store.links.create(intruder, { integrationId: integration.id, planTaskId: 'owner-task', workItemId: 1234 });

    expect((await t.store.conversations.get(owner, 'a:owner-chat'))?.reference).toEqual(ref);
    expect((await t.store.connections.get(owner, connection.id))?.name).toBe('owner ado');
    expect((await t.store.integrations.get(owner, integration.id))?.name).toBe('Owner plan');
    expect((await t.store.runs.get(owner, integration.id, run.id))?.status).toBe('planned');
    expect((await t.store.links.getByWorkItem(owner, integration.id, 1234))?.tenantId).toBe(owner);
    expect((await t.store.leases.get(owner, 'owner-job'))?.owner).toBe('owner-instance');
  });

  it('an owner\'s credential cannot be decrypted as another tenant\'s', async () => {
    await expect(t.store.connections.revealSecret({ ...connection, tenantId: intruder })).rejects.toThrow(/did not decrypt/);
  });
});
