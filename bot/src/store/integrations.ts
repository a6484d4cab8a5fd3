import { randomUUID } from 'node:crypto';
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
}

export interface IntegrationSettings {
  direction: SyncDirection;
  mapping: MappingRule[];
  /** Plan outline levels mapped to ADO work item types, top first, e.g. ['Epic', 'Feature', 'User Story']; leaves become `leafType`. */
  hierarchy: { levels: string[]; leafType: string };
  schedule?: { frequency: 'daily' | 'weekly'; time: string; weekday?: number; startDate: string; timeZone: string };
  notifications: { conversationId?: string; onFailure: boolean; onSuccess: boolean };
}

export interface IntegrationDocument extends BaseDocument, IntegrationSettings {
  name: string;
  planConnectionId: string;
  planProjectId: string;
  adoConnectionId: string;
  /** ADO projects feeding this plan (aggregation). */
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
  };
}
