import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuplicateError, NotFoundError } from '../../src/store/index.js';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/log.js';
import { connectCosmos } from '../../src/store/connect.js';
import { DocumentCollection } from '../../src/store/document-collection.js';
import { createLinkRepository, linkSchema, workItemIndexSchema } from '../../src/store/links.js';
import { openTestStore, REMOTE, tenant, type TestStore } from './support.js';

const baseline = (title: string) => ({ fields: { title }, syncedAt: '2025-01-01T00:00:00.000Z' });

describe('links (contract)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('finds a link by plan task and by work item', async () => {
    const tenantId = tenant();
    const planTaskId = '8f0c6a8e-1d2b-ef11-ba8e-00155d0a1234';
    await t.store.links.create(tenantId, { integrationId: 'apollo', planTaskId, workItemId: 4711, baseline: baseline('Design') });
    const byTask = await t.store.links.getByPlanTask(tenantId, 'apollo', planTaskId);
    const byItem = await t.store.links.getByWorkItem(tenantId, 'apollo', 4711);
    expect(byTask).toMatchObject({ planTaskId, workItemId: 4711, integrationId: 'apollo', baseline: baseline('Design') });
    expect(byItem?.id).toBe(byTask?.id);
  });

  it('keeps integrations apart: the same task and work item may be linked in another integration', async () => {
    const tenantId = tenant();
    await t.store.links.create(tenantId, { integrationId: 'one', planTaskId: 'T1', workItemId: 1 });
    await t.store.links.create(tenantId, { integrationId: 'two', planTaskId: 'T1', workItemId: 1 });
    expect((await t.store.links.getByWorkItem(tenantId, 'one', 1))?.integrationId).toBe('one');
    expect((await t.store.links.getByWorkItem(tenantId, 'two', 1))?.integrationId).toBe('two');
  });

  it('allows one link per plan task and one per work item, even when created concurrently', async () => {
    const tenantId = tenant();
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => t.store.links.create(tenantId, { integrationId: 'i', planTaskId: 'same-task', workItemId: 100 + i })));
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const a of attempts) if (a.status === 'rejected') expect(a.reason).toBeInstanceOf(DuplicateError);
    const winner = (await t.store.links.getByPlanTask(tenantId, 'i', 'same-task'))!;
    // The losers' work items stay free.
    for (let i = 0; i < 8; i++) {
      const found = await t.store.links.getByWorkItem(tenantId, 'i', 100 + i);
      expect(found?.id).toBe(100 + i === winner.workItemId ? winner.id : undefined);
    }
    await expect(t.store.links.create(tenantId, { integrationId: 'i', planTaskId: 'other-task', workItemId: winner.workItemId })).rejects.toThrow(/work item/);
  });

  it('updates the baseline with etag concurrency', async () => {
    const tenantId = tenant();
    await t.store.links.create(tenantId, { integrationId: 'i', planTaskId: 'b', workItemId: 9 });
    const updated = await t.store.links.updateBaseline(tenantId, 'i', 'b', () => baseline('After sync'));
    expect(updated.baseline).toEqual(baseline('After sync'));
    await expect(t.store.links.updateBaseline(tenantId, 'i', 'missing', () => baseline('x'))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists an integration\'s links page by page', async () => {
    const tenantId = tenant();
    for (let i = 0; i < 5; i++) await t.store.links.create(tenantId, { integrationId: 'paged', planTaskId: `task-${i}`, workItemId: i });
    await t.store.links.create(tenantId, { integrationId: 'elsewhere', planTaskId: 'task-x', workItemId: 99 });
    const seen: string[] = [];
    let continuation: string | undefined;
    do {
      const page = await t.store.links.list(tenantId, 'paged', { pageSize: 2, continuation });
      seen.push(...page.items.map((l) => l.planTaskId));
      continuation = page.continuation;
    } while (continuation);
    expect(seen.sort()).toEqual(['task-0', 'task-1', 'task-2', 'task-3', 'task-4']);
  });

  it('removes a link and frees its work item', async () => {
    const tenantId = tenant();
    await t.store.links.create(tenantId, { integrationId: 'i', planTaskId: 'r', workItemId: 3 });
    expect(await t.store.links.remove(tenantId, 'i', 'r')).toBe(true);
    expect(await t.store.links.remove(tenantId, 'i', 'r')).toBe(false);
    expect(await t.store.links.getByWorkItem(tenantId, 'i', 3)).toBeUndefined();
    await t.store.links.create(tenantId, { integrationId: 'i', planTaskId: 'r2', workItemId: 3 });
  });
});

describe('links after a crash between the index write and the link write', () => {
  it('treats the orphaned work-item index as free and reclaims it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'planbridge-links-'));
    const connection = await connectCosmos(REMOTE ? { endpoint: process.env.COSMOS_ENDPOINT, key: process.env.COSMOS_KEY || undefined, database: `planbridge-test-${randomUUID().slice(0, 8)}` } : { database: 'planbridge' }, dataDir, createLogger({ level: 'silent' }));
    try {
      const links = createLinkRepository(new DocumentCollection(connection.containers.links, linkSchema), new DocumentCollection(connection.containers.links, workItemIndexSchema));
      const tenantId = tenant();
      const link = await links.create(tenantId, { integrationId: 'i', planTaskId: 'half', workItemId: 55 });
      // The crash: the link document never made it, its work-item index did.
      await connection.containers.links.item(link.id, link.pk).delete();
      expect(await links.getByWorkItem(tenantId, 'i', 55)).toBeUndefined();
      const relinked = await links.create(tenantId, { integrationId: 'i', planTaskId: 'again', workItemId: 55 });
      expect((await links.getByWorkItem(tenantId, 'i', 55))?.id).toBe(relinked.id);
    } finally {
      if (REMOTE) await connection.database.delete();
      await connection.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
