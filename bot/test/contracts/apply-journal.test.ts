import { randomUUID } from 'node:crypto';
import { createStoreJournal } from '../../src/adapters/store-journal.js';
import { openTestStore } from '../store/support.js';
import { MemoryJournal } from '../sync/support/memory-journal.js';
import { describeApplyJournalContract } from './apply-journal.contract.js';

/** The ApplyJournal contract against every implementation: production (embedded Cosmos store) and the engine tests' double. */
describeApplyJournalContract('createStoreJournal over the embedded Cosmos store', async () => {
  const t = await openTestStore();
  return { journal: () => createStoreJournal(t.store.journal, 'tenant-contract', `integration-${randomUUID()}`), dispose: () => t.dispose() };
});

describeApplyJournalContract('MemoryJournal (test double)', async () => ({ journal: () => new MemoryJournal(), dispose: async () => undefined }));
