import type { JournalRepository } from '../store/index.js';
import type { ApplyJournal } from '../sync/ports.js';

/** The engine's ApplyJournal for one integration, kept in Cosmos next to the integration's runs. */
export function createStoreJournal(journal: JournalRepository, tenantId: string, integrationId: string): ApplyJournal {
  return {
    recordIntent: (runId, entry) => journal.recordIntent(tenantId, integrationId, runId, entry),
    markDone: (runId, entry) => journal.markDone(tenantId, integrationId, runId, entry),
    async list(runId) {
      return (await journal.list(tenantId, integrationId, runId)).map((d) => ({
        opId: d.opId, linkId: d.linkId, side: d.side, state: d.state,
        ...(d.marker !== undefined ? { marker: d.marker } : {}), ...(d.key !== undefined ? { key: d.key } : {}),
      }));
    },
  };
}
