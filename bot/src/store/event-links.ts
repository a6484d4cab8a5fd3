import { integrationPartition } from './containers.js';
import { DocumentCollection, type BaseDocument, type Stored } from './document-collection.js';
import { compositeId } from './ids.js';
import type { DocumentSchema } from './schema.js';

/**
 * Links between a plan task and its Outlook event (events/model.ts EventLink), stored like
 * work-item links: in the links container, partition tenant + integration (they grow with plan
 * size the same way), id derived from the plan task (`event:<task id>`), so "one event link per
 * task" is a point read and a 409, never a query. They are their own document type ('event-link'),
 * so work-item link queries (`c.type = 'link'`) never see them, and a task may have both.
 */
export interface EventLinkDocument extends BaseDocument {
  type: 'event-link';
  integrationId: string;
  planTaskId: string;
  /** The marker value on the event. */
  linkId: string;
  eventId: string | null;
  state: 'active' | 'cancelled';
  generation: number;
  bodyDigest?: string;
  createdAt: string;
  updatedAt: string;
}

/** The fields an apply outcome saves (events/apply.ts EventLinkUpdate). */
export interface EventLinkValues {
  linkId: string;
  planTaskId: string;
  eventId: string | null;
  state: 'active' | 'cancelled';
  generation: number;
  bodyDigest?: string;
}

export interface EventLinkRepository {
  get(tenantId: string, integrationId: string, planTaskId: string): Promise<Stored<EventLinkDocument> | undefined>;
  /** Every event link of the integration (one partition). */
  list(tenantId: string, integrationId: string): Promise<Stored<EventLinkDocument>[]>;
  /** Creates or replaces the task's link; writes nothing when it already holds these values. */
  save(tenantId: string, integrationId: string, link: EventLinkValues): Promise<Stored<EventLinkDocument>>;
  remove(tenantId: string, integrationId: string, planTaskId: string): Promise<boolean>;
}

export const eventLinkSchema: DocumentSchema<EventLinkDocument> = {
  kind: 'event link',
  current: 1,
  upgrades: {},
  check: (doc): doc is Record<string, unknown> & EventLinkDocument =>
    doc.type === 'event-link' && typeof doc.planTaskId === 'string' && typeof doc.linkId === 'string' && typeof doc.generation === 'number',
};

const eventLinkDocId = (planTaskId: string): string => compositeId('event', planTaskId);

export function createEventLinkRepository(docs: DocumentCollection<EventLinkDocument>, now: () => Date = () => new Date()): EventLinkRepository {
  return {
    get: (tenantId, integrationId, planTaskId) => docs.read(tenantId, eventLinkDocId(planTaskId), integrationPartition(tenantId, integrationId)),
    list(tenantId, integrationId) {
      const pk = integrationPartition(tenantId, integrationId);
      return docs.all(tenantId, { where: "c.pk = @pk AND c.type = 'event-link'", parameters: [{ name: '@pk', value: pk }], orderBy: 'c.id' }, pk);
    },
    async save(tenantId, integrationId, link) {
      const pk = integrationPartition(tenantId, integrationId);
      const saved = await docs.update(tenantId, eventLinkDocId(link.planTaskId), pk, (current) => {
        const same = current && current.linkId === link.linkId && current.eventId === link.eventId && current.state === link.state
          && current.generation === link.generation && current.bodyDigest === link.bodyDigest;
        if (same) return undefined;
        const at = now().toISOString();
        return {
          id: eventLinkDocId(link.planTaskId), tenantId, pk, schemaVersion: eventLinkSchema.current, type: 'event-link', integrationId,
          planTaskId: link.planTaskId, linkId: link.linkId, eventId: link.eventId, state: link.state, generation: link.generation,
          ...(link.bodyDigest !== undefined ? { bodyDigest: link.bodyDigest } : {}), createdAt: current?.createdAt ?? at, updatedAt: at,
        };
      });
      return saved!;
    },
    remove: (tenantId, integrationId, planTaskId) => docs.delete(eventLinkDocId(planTaskId), integrationPartition(tenantId, integrationId)),
  };
}
