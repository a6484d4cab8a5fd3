import { randomUUID } from 'node:crypto';
import type { ItemDefinition } from '@azure/cosmos';
import { DocumentCollection, type BaseDocument, type Page, type PageRequest, type Stored } from './document-collection.js';
import { tenantPartition } from './containers.js';
import { NotFoundError } from './errors.js';
import { encodeId } from './ids.js';
import type { DocumentSchema } from './schema.js';

/**
 * An integration joins one plan (PWA project) to one or more ADO projects, with its settings for
 * mapping, hierarchy, schedule and notifications. Partition: tenant (1,000 integrations of a
 * few KB each is a few MB); id: a GUID, so reading one is a point read. Later features extend
 * the settings; older documents are upgraded through `integrationSchema.upgrades`.
 */
export type SyncDirection = 'plan-to-ado' | 'ado-to-plan' | 'two-way';

export interface MappingRule {
  id: string;
  planField: string;
  adoField: string;
  direction: SyncDirection;
  enabled: boolean;
  /** Engine conversion name (text, date, work, html, identity, ...); see sync/mapping/rule.ts. */
  transform?: string;
  /** Value rules (e.g. % complete <-> State), stored as the engine defines them. */
  valueMap?: unknown[];
  /** ADO work item types the rule applies to; omitted = all. */
  appliesTo?: string[];
}

/** Someone who may approve an integration's sync previews. */
export interface Approver {
  /** Teams user id (29:...), as Universal Actions refresh lists users. */
  id: string;
  aadObjectId?: string;
  name?: string;
}

/** One ADO project feeding the plan, optionally narrowed (aggregation = several entries). */
export interface AdoScopeSetting {
  project: string;
  team?: string;
  areaPath?: string;
  iterationPath?: string;
  queryId?: string;
}

export interface IntegrationSettings {
  direction: SyncDirection;
  mapping: MappingRule[];
  /** Plan outline levels mapped to ADO work item types, top first, e.g. ['Epic', 'Feature', 'User Story']; leaves become `leafType`. */
  hierarchy: { levels: string[]; leafType: string; importAsTasks?: string[]; teamProjectAsTopParent?: boolean; includeOutsideIterations?: boolean };
  /** ADO process of the (first) project: Agile, Scrum, CMMI or Basic. */
  process?: string;
  /** Creation option for items with children (see sync/model.ts CreationOption). */
  creation?: string;
  /** Which plan tasks take part: all (default) or only those flagged "Sync to ADO". */
  planTasks?: 'all' | 'flagged';
  /** Who may approve previews; default the person who set it up. */
  approvers?: Approver[];
  /** Narrowed ADO scopes; when absent every project in adoProjects is read whole. */
  adoScopes?: AdoScopeSetting[];
  schedule?: { frequency: 'daily' | 'weekly'; time: string; weekday?: number; startDate: string; timeZone: string };
  notifications: { conversationId?: string; onFailure: boolean; onSuccess: boolean };
  /**
   * People matched by hand on the People card: plan resource name -> ADO uniqueName ('' = leave
   * unassigned). Automatic matches are not stored; they are made afresh on every preview.
   */
  identityMap?: Record<string, string>;
  /** The scheduler's state (bot/src/jobs/schedule-book.ts owns its shape); `nextRunAt` is what its scan queries. */
  scheduling?: ScheduleRecord;
}

/** Kept loosely typed here so the store does not depend on the scheduler; jobs/ validates it on read. */
export interface ScheduleRecord {
  /** ISO instant of the next due run; absent when on demand or paused. */
  nextRunAt?: string;
  [field: string]: unknown;
}

export interface IntegrationDocument extends BaseDocument, IntegrationSettings {
  name: string;
  planConnectionId: string;
  planProjectId: string;
  /** Display name of the plan project, for chat ("sync Apollo"). */
  planProjectName?: string;
  /**
   * The connection on the target side: the ADO connection, or for an Outlook integration its
   * Outlook connection (the same id as `outlookConnectionId`), so the checks that an integration's
   * connections are shared with the person running it, and the "remove connection" warning, hold
   * for both kinds unchanged.
   */
  adoConnectionId: string;
  /** Where the plan goes: Azure DevOps (absent, older documents) or Outlook events (flows/outlook). */
  target?: 'ado' | 'outlook';
  /** Outlook integrations: the Outlook connection events are written with. */
  outlookConnectionId?: string;
  /** ADO projects feeding this plan (aggregation); empty for an Outlook integration. */
  adoProjects: string[];
  enabled: boolean;
  createdBy?: string;
  createdAt: string;
  updatedAt: string;
}

export type NewIntegration = Omit<IntegrationDocument, 'id' | 'tenantId' | 'pk' | 'schemaVersion' | 'createdAt' | 'updatedAt' | 'enabled'> & { id?: string; enabled?: boolean };
export type IntegrationChanges = Partial<Omit<IntegrationDocument, 'id' | 'tenantId' | 'pk' | 'schemaVersion' | 'createdAt' | 'updatedAt'>>;

export interface IntegrationRepository {
  create(tenantId: string, input: NewIntegration): Promise<Stored<IntegrationDocument>>;
  get(tenantId: string, id: string): Promise<Stored<IntegrationDocument> | undefined>;
  list(tenantId: string, request?: PageRequest): Promise<Page<Stored<IntegrationDocument>>>;
  /** Read-modify-write with etag; `change` may run more than once. */
  update(tenantId: string, id: string, change: (current: Stored<IntegrationDocument>) => IntegrationChanges): Promise<Stored<IntegrationDocument>>;
  remove(tenantId: string, id: string): Promise<boolean>;
  /**
   * The scheduler's scan, across all tenants: enabled integrations whose `scheduling.nextRunAt` is
   * at or before `now`, oldest first, at most `limit`. A cross-partition query (small container).
   */
  listDue(now: Date, limit: number): Promise<Stored<IntegrationDocument>[]>;
}

export const integrationSchema: DocumentSchema<IntegrationDocument> = {
  kind: 'integration',
  current: 1,
  upgrades: {},
  check: (doc): doc is Record<string, unknown> & IntegrationDocument =>
    typeof doc.name === 'string' && Array.isArray(doc.mapping) && Array.isArray(doc.adoProjects) && typeof doc.hierarchy === 'object',
};

export function createIntegrationRepository(docs: DocumentCollection<IntegrationDocument>, now: () => Date = () => new Date()): IntegrationRepository {
  return {
    create(tenantId, input) {
      const at = now().toISOString();
      const { id, enabled, ...rest } = input;
      return docs.create({ ...rest, id: encodeId(id ?? randomUUID()), tenantId, pk: tenantPartition(tenantId), schemaVersion: integrationSchema.current, enabled: enabled ?? true, createdAt: at, updatedAt: at });
    },
    get: (tenantId, id) => docs.read(tenantId, encodeId(id), tenantPartition(tenantId)),
    list: (tenantId, request) => docs.page(tenantId, { orderBy: 'c.name' }, tenantPartition(tenantId), request),
    async update(tenantId, id, change) {
      const updated = await docs.update(tenantId, encodeId(id), tenantPartition(tenantId), (current) => {
        if (!current) throw new NotFoundError('integration', id);
        const { etag: _etag, ...doc } = current;
        return { ...doc, ...change(current), id: doc.id, tenantId, pk: doc.pk, schemaVersion: integrationSchema.current, updatedAt: now().toISOString() };
      });
      return updated!;
    },
    remove: (tenantId, id) => docs.delete(encodeId(id), tenantPartition(tenantId)),
    async listDue(at, limit) {
      const top = Math.min(Math.max(Math.floor(limit), 1), 1000);
      const { resources } = await docs.container.items.query<ItemDefinition>({
        query: `SELECT TOP ${top} * FROM c WHERE c.enabled = true AND IS_DEFINED(c.scheduling.nextRunAt) AND c.scheduling.nextRunAt <= @now ORDER BY c.scheduling.nextRunAt`,
        parameters: [{ name: '@now', value: at.toISOString() }],
      }).fetchAll();
      // Each document is checked against its own tenant, like every other read.
      return resources.map((raw) => docs.fromCosmos(String(raw.tenantId), raw)).filter((d): d is Stored<IntegrationDocument> => d !== undefined);
    },
  };
}
