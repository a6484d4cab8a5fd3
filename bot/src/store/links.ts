import { integrationPartition } from './containers.js';
import { DocumentCollection, type BaseDocument, type Page, type PageRequest, type Stored } from './document-collection.js';
import { DuplicateError, NotFoundError } from './errors.js';
import { compositeId } from './ids.js';
import type { DocumentSchema } from './schema.js';

/**
 * Links join a plan task to an ADO work item and keep the baseline of the last sync.
 * Partition: tenant + integration, so one partition holds one integration's links (100,000
 * links of ~2 KB is ~200 MB, far from 20 GB) and a tenant's 1,000 integrations spread out.
 *
 * Two point reads serve the hot paths: the link's id is derived from the plan task, and a small
 * index document, whose id is derived from the work item, names the link. Both ids are
 * deterministic, so "one link per plan task" and "one link per work item" are enforced by
 * Cosmos itself (a second create gets 409), never by looking first. The index is written
 * first; an index left behind by a crash before its link was written is recognised (its link
 * does not point back) and reclaimed.
 */
export interface LinkBaseline {
  /** Mapped field values as they were after the last successful sync, keyed by mapping rule. */
  fields: Record<string, unknown>;
  planParentId?: string;
  workItemParentId?: number;
  syncedAt: string;
  runId?: string;
  /** Parents as the engine last saw them; null = no parent, absent = not known yet. */
  planParent?: string | null;
  adoParent?: string | null;
}

export interface LinkDocument extends BaseDocument {
  type: 'link';
  pk: string;
  integrationId: string;
  planTaskId: string;
  workItemId: number;
  baseline?: LinkBaseline;
  /** Unlinked on purpose: neither item is synced or created again (sync/model.ts Link.retired). */
  retired?: boolean;
  createdAt: string;
  updatedAt: string;
}

interface WorkItemIndexDocument extends BaseDocument {
  type: 'workItem';
  pk: string;
  integrationId: string;
  workItemId: number;
  linkId: string;
}

export interface NewLink {
  integrationId: string;
  planTaskId: string;
  workItemId: number;
  baseline?: LinkBaseline;
}

export interface LinkRepository {
  /** DuplicateError if the plan task or the work item is already linked in this integration. */
  create(tenantId: string, input: NewLink): Promise<Stored<LinkDocument>>;
  getByPlanTask(tenantId: string, integrationId: string, planTaskId: string): Promise<Stored<LinkDocument> | undefined>;
  getByWorkItem(tenantId: string, integrationId: string, workItemId: number): Promise<Stored<LinkDocument> | undefined>;
  /** Replaces the baseline (after a sync) with etag concurrency; `change` may run more than once. */
  updateBaseline(tenantId: string, integrationId: string, planTaskId: string, change: (current: Stored<LinkDocument>) => LinkBaseline): Promise<Stored<LinkDocument>>;
  /** Marks the pair as unlinked on purpose (kept, so the survivor is never re-created). */
  retire(tenantId: string, integrationId: string, planTaskId: string): Promise<Stored<LinkDocument>>;
  /** Replaces the baseline only if the link is still the version `link.etag`; ConcurrencyError otherwise. */
  replaceBaseline(link: Stored<LinkDocument>, baseline: LinkBaseline): Promise<Stored<LinkDocument>>;
  list(tenantId: string, integrationId: string, request?: PageRequest): Promise<Page<Stored<LinkDocument>>>;
  remove(tenantId: string, integrationId: string, planTaskId: string): Promise<boolean>;
}

export const linkSchema: DocumentSchema<LinkDocument> = {
  kind: 'link',
  current: 1,
  upgrades: {},
  check: (doc): doc is Record<string, unknown> & LinkDocument =>
    doc.type === 'link' && typeof doc.planTaskId === 'string' && typeof doc.workItemId === 'number' && typeof doc.integrationId === 'string',
};

export const workItemIndexSchema: DocumentSchema<WorkItemIndexDocument> = {
  kind: 'work item link',
  current: 1,
  upgrades: {},
  check: (doc): doc is Record<string, unknown> & WorkItemIndexDocument => doc.type === 'workItem' && typeof doc.linkId === 'string',
};

export const linkId = (planTaskId: string): string => compositeId('task', planTaskId);
const indexId = (workItemId: number): string => compositeId('wi', String(workItemId));

export function createLinkRepository(
  links: DocumentCollection<LinkDocument>,
  index: DocumentCollection<WorkItemIndexDocument>,
  now: () => Date = () => new Date(),
): LinkRepository {
  const getByPlanTask = (tenantId: string, integrationId: string, planTaskId: string) =>
    links.read(tenantId, linkId(planTaskId), integrationPartition(tenantId, integrationId));

  /** Takes the work item's index slot, reclaiming one left by an unfinished create. */
  async function claimWorkItem(tenantId: string, input: NewLink, pk: string): Promise<void> {
    const entry: WorkItemIndexDocument = {
      id: indexId(input.workItemId), tenantId, schemaVersion: 1, type: 'workItem', pk,
      integrationId: input.integrationId, workItemId: input.workItemId, linkId: linkId(input.planTaskId),
    };
    try {
      await index.create(entry);
    } catch (err) {
      if (!(err instanceof DuplicateError)) throw err;
      const existing = await index.read(tenantId, entry.id, pk);
      if (!existing) return claimWorkItem(tenantId, input, pk); // deleted meanwhile: try again
      const owner = await links.read(tenantId, existing.linkId, pk);
      if (owner && owner.workItemId === input.workItemId) throw new DuplicateError('link for work item', String(input.workItemId));
      await index.replace(entry, existing.etag, pk); // orphan: reclaim (412 if someone else did first)
    }
  }

  return {
    async create(tenantId, input) {
      const pk = integrationPartition(tenantId, input.integrationId);
      await claimWorkItem(tenantId, input, pk);
      const at = now().toISOString();
      try {
        return await links.create({
          id: linkId(input.planTaskId), tenantId, schemaVersion: linkSchema.current, type: 'link', pk,
          integrationId: input.integrationId, planTaskId: input.planTaskId, workItemId: input.workItemId,
          ...(input.baseline ? { baseline: input.baseline } : {}),
          createdAt: at, updatedAt: at,
        });
      } catch (err) {
        if (err instanceof DuplicateError) {
          await index.delete(indexId(input.workItemId), pk).catch(() => undefined);
          throw new DuplicateError('link for plan task', input.planTaskId);
        }
        throw err;
      }
    },
    getByPlanTask,
    async getByWorkItem(tenantId, integrationId, workItemId) {
      const pk = integrationPartition(tenantId, integrationId);
      const entry = await index.read(tenantId, indexId(workItemId), pk);
      if (!entry) return undefined;
      const link = await links.read(tenantId, entry.linkId, pk);
      return link && link.workItemId === workItemId ? link : undefined;
    },
    async updateBaseline(tenantId, integrationId, planTaskId, change) {
      const updated = await links.update(tenantId, linkId(planTaskId), integrationPartition(tenantId, integrationId), (current) => {
        if (!current) throw new NotFoundError('link for plan task', planTaskId);
        const { etag: _etag, ...doc } = current;
        return { ...doc, baseline: change(current), updatedAt: now().toISOString() };
      });
      return updated!;
    },
    async retire(tenantId, integrationId, planTaskId) {
      const updated = await links.update(tenantId, linkId(planTaskId), integrationPartition(tenantId, integrationId), (current) => {
        if (!current) throw new NotFoundError('link for plan task', planTaskId);
        const { etag: _etag, ...doc } = current;
        return { ...doc, retired: true, updatedAt: now().toISOString() };
      });
      return updated!;
    },
    replaceBaseline(link, baseline) {
      const { etag, ...doc } = link;
      return links.replace({ ...doc, baseline, updatedAt: now().toISOString() }, etag, link.pk);
    },
    list: (tenantId, integrationId, request) =>
      links.page(tenantId, { where: "c.type = 'link' AND c.integrationId = @integrationId", parameters: [{ name: '@integrationId', value: integrationId }], orderBy: 'c.id' }, integrationPartition(tenantId, integrationId), request),
    async remove(tenantId, integrationId, planTaskId) {
      const pk = integrationPartition(tenantId, integrationId);
      const link = await getByPlanTask(tenantId, integrationId, planTaskId);
      if (!link) return false;
      const removed = await links.delete(link.id, pk);
      const entry = await index.read(tenantId, indexId(link.workItemId), pk);
      if (entry && entry.linkId === link.id) await index.delete(entry.id, pk, entry.etag).catch(() => undefined);
      return removed;
    },
  };
}
