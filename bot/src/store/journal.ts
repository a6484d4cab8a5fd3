import { integrationPartition } from './containers.js';
import { DocumentCollection, type BaseDocument } from './document-collection.js';
import { DuplicateError } from './errors.js';
import { compositeId } from './ids.js';
import type { DocumentSchema } from './schema.js';

/**
 * The apply journal: one document per write of a run, recorded before a create is sent and marked
 * done after, so a run that dies mid-way resumes without creating twins. It lives in the runs
 * container (same partition as its run: tenant + integration). Entries carry `runId` and no
 * `integrationId`, so run queries (which filter on `integrationId`) never see them.
 */
export interface JournalEntryDocument extends BaseDocument {
  kind: 'journal';
  runId: string;
  opId: string;
  linkId: string;
  side: 'ado' | 'plan';
  state: 'intended' | 'done';
  marker?: string;
  key?: string;
  at: string;
}

export interface JournalWrite {
  opId: string;
  linkId: string;
  side: 'ado' | 'plan';
}

export interface JournalRepository {
  /** Idempotent: recording an intent twice (a resumed run) keeps the first record, even if done. */
  recordIntent(tenantId: string, integrationId: string, runId: string, entry: JournalWrite & { marker: string }): Promise<void>;
  /** Marks an op done with the key it produced; creates the entry if no intent was recorded. */
  markDone(tenantId: string, integrationId: string, runId: string, entry: JournalWrite & { key: string }): Promise<void>;
  list(tenantId: string, integrationId: string, runId: string): Promise<JournalEntryDocument[]>;
}

export const journalSchema: DocumentSchema<JournalEntryDocument> = {
  kind: 'journal entry',
  current: 1,
  upgrades: {},
  check: (doc): doc is Record<string, unknown> & JournalEntryDocument =>
    doc.kind === 'journal' && typeof doc.runId === 'string' && typeof doc.opId === 'string' && (doc.state === 'intended' || doc.state === 'done'),
};

const entryId = (runId: string, opId: string): string => compositeId('journal', runId, opId);

export function createJournalRepository(docs: DocumentCollection<JournalEntryDocument>, now: () => Date = () => new Date()): JournalRepository {
  const base = (tenantId: string, integrationId: string, runId: string, entry: JournalWrite) => ({
    id: entryId(runId, entry.opId), tenantId, pk: integrationPartition(tenantId, integrationId), schemaVersion: journalSchema.current,
    kind: 'journal' as const, runId, opId: entry.opId, linkId: entry.linkId, side: entry.side, at: now().toISOString(),
  });
  return {
    async recordIntent(tenantId, integrationId, runId, entry) {
      try {
        await docs.create({ ...base(tenantId, integrationId, runId, entry), state: 'intended', marker: entry.marker });
      } catch (err) {
        if (!(err instanceof DuplicateError)) throw err;
      }
    },
    async markDone(tenantId, integrationId, runId, entry) {
      const doc = base(tenantId, integrationId, runId, entry);
      await docs.update(tenantId, doc.id, doc.pk, (current) => {
        if (current?.state === 'done' && current.key === entry.key) return undefined;
        return { ...doc, state: 'done', key: entry.key, ...(current?.marker ? { marker: current.marker } : {}) };
      });
    },
    // The pk filter is in the SQL too: the partition option alone is not a fence (the embedded server ignores it).
    list: (tenantId, integrationId, runId) => {
      const pk = integrationPartition(tenantId, integrationId);
      return docs.all(tenantId, { where: 'c.pk = @pk AND c.kind = "journal" AND c.runId = @runId', parameters: [{ name: '@pk', value: pk }, { name: '@runId', value: runId }] }, pk);
    },
  };
}
