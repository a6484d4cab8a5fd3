import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreJournal } from '../../src/adapters/store-journal.js';
import { openTestStore, type TestStore } from '../store/support.js';

/** The engine's write-ahead journal, kept in the real (embedded) Cosmos store. */
describe('ApplyJournal in Cosmos', () => {
  let t: TestStore;
  beforeAll(async () => { t = await openTestStore(); });
  afterAll(async () => t?.dispose());

  it('records intents before creates, marks them done, and lists one run only', async () => {
    const journal = createStoreJournal(t.store.journal, 'tenant-a', 'integration-1');
    await journal.recordIntent('run-1', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', marker: 'planbridge:pb-1' });
    await journal.recordIntent('run-1', { opId: 'create:ado:pb-2', linkId: 'pb-2', side: 'ado', marker: 'planbridge:pb-2' });
    await journal.markDone('run-1', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', key: '101' });
    await journal.markDone('run-2', { opId: 'update:ado:pb-9', linkId: 'pb-9', side: 'ado', key: '109' });

    const entries = (await journal.list('run-1')).sort((a, b) => a.opId.localeCompare(b.opId));
    expect(entries).toEqual([
      { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', state: 'done', marker: 'planbridge:pb-1', key: '101' },
      { opId: 'create:ado:pb-2', linkId: 'pb-2', side: 'ado', state: 'intended', marker: 'planbridge:pb-2' },
    ]);
    expect(await journal.list('run-2')).toEqual([{ opId: 'update:ado:pb-9', linkId: 'pb-9', side: 'ado', state: 'done', key: '109' }]);
  });

  it('a resumed run recording the same intent again keeps the done state', async () => {
    const journal = createStoreJournal(t.store.journal, 'tenant-a', 'integration-1');
    await journal.recordIntent('run-1', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', marker: 'planbridge:pb-1' });
    const entry = (await journal.list('run-1')).find((e) => e.opId === 'create:ado:pb-1');
    expect(entry).toMatchObject({ state: 'done', key: '101' });
  });

  it('is isolated per tenant and integration, and invisible to run history', async () => {
    expect(await createStoreJournal(t.store.journal, 'tenant-b', 'integration-1').list('run-1')).toEqual([]);
    expect(await createStoreJournal(t.store.journal, 'tenant-a', 'integration-2').list('run-1')).toEqual([]);
    await t.store.runs.start('tenant-a', { integrationId: 'integration-1', trigger: { kind: 'chat', key: 'chat:1' } });
    const history = await t.store.runs.list('tenant-a', 'integration-1');
    expect(history.items.map((r) => r.trigger.key)).toEqual(['chat:1']);
  });
});
