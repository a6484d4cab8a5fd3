import type { ApplyJournal } from '../sync/ports.js';
import type { EventJournal } from './ports.js';

/**
 * The event journal on top of the engine's ApplyJournal (sync/ports.ts), so event runs share the
 * store's journal and its contract: `createStoreJournal(store.journal, tenant, integration)` in
 * production, MemoryJournal in tests. The ApplyJournal's `side` says which system of a sync run a
 * write went to ('ado' | 'plan'); an event run writes to Outlook only and its op ids are its own
 * (`event:...`), so the side is never read back here. It is filed as 'plan' (the plan's calendar)
 * until the port names an 'outlook' side.
 */
export function eventJournalFrom(journal: ApplyJournal): EventJournal {
  return {
    recordIntent: (runId, entry) => journal.recordIntent(runId, { ...entry, side: 'plan' }),
    markDone: (runId, entry) => journal.markDone(runId, { ...entry, side: 'plan' }),
    async list(runId) {
      return (await journal.list(runId)).filter((e) => e.opId.startsWith('event:')).map((e) => ({
        opId: e.opId, linkId: e.linkId, state: e.state, ...(e.marker !== undefined ? { marker: e.marker } : {}), ...(e.key !== undefined ? { key: e.key } : {}),
      }));
    },
  };
}
