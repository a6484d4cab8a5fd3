import type { ConversationReference } from '@microsoft/teams.api';
import { DocumentCollection, type BaseDocument, type Page, type PageRequest, type Stored } from './document-collection.js';
import { DuplicateError } from './errors.js';
import { sameJson } from '../same-json.js';
import { tenantPartition } from './containers.js';
import { encodeId } from './ids.js';
import type { DocumentSchema } from './schema.js';

/**
 * Conversation references, kept so proactive messages (sync results, failures) can reach the
 * chat later. Partition: tenant; id: the encoded conversation id, so the lookup before a
 * proactive send is a point read.
 */
export interface ConversationDocument extends BaseDocument {
  conversationId: string;
  conversationType?: string;
  reference: ConversationReference;
  updatedAt: string;
}

export interface ConversationRepository {
  /**
   * Stores or refreshes the reference (at install and on each message). Writes only when it
   * changed (the activity id aside). `likelyNew`: the caller has never seen this conversation, so
   * it is created outright (one request instead of a read that misses and then a create); if it
   * exists after all (another instance, a restart), it is read and compared as usual.
   */
  save(tenantId: string, ref: ConversationReference, options?: { likelyNew?: boolean }): Promise<void>;
  get(tenantId: string, conversationId: string): Promise<Stored<ConversationDocument> | undefined>;
  /** Forgets the conversation (uninstall). Removing an unknown conversation is not an error. */
  remove(tenantId: string, conversationId: string): Promise<void>;
  list(tenantId: string, request?: PageRequest): Promise<Page<Stored<ConversationDocument>>>;
}

export const conversationSchema: DocumentSchema<ConversationDocument> = {
  kind: 'conversation',
  current: 1,
  upgrades: {
    // Version 0 kept the reference as `ref` and had no conversationId of its own.
    0: (doc) => {
      const { ref, ...rest } = doc as { ref?: ConversationReference } & Record<string, unknown>;
      const reference = (rest.reference as ConversationReference | undefined) ?? ref;
      return { ...rest, reference, pk: rest.pk ?? tenantPartition(String(rest.tenantId)), conversationId: rest.conversationId ?? reference?.conversation.id, updatedAt: rest.updatedAt ?? new Date(0).toISOString() };
    },
  },
  check: (doc): doc is Record<string, unknown> & ConversationDocument =>
    typeof doc.conversationId === 'string' && typeof doc.reference === 'object' && doc.reference !== null,
};

export function createConversationRepository(docs: DocumentCollection<ConversationDocument>, now: () => Date = () => new Date()): ConversationRepository {
  return {
    async save(tenantId, ref, options = {}) {
      const conversationId = ref.conversation.id;
      const id = encodeId(conversationId);
      // Compare the JSON form: the SDK's object may hold undefined fields that storage drops.
      const reference = JSON.parse(JSON.stringify(ref)) as ConversationReference;
      const document = (): ConversationDocument => ({
        id,
        tenantId,
        pk: tenantPartition(tenantId),
        schemaVersion: conversationSchema.current,
        conversationId,
        ...(ref.conversation.conversationType ? { conversationType: ref.conversation.conversationType } : {}),
        reference,
        updatedAt: now().toISOString(),
      });
      if (options.likelyNew) {
        try {
          await docs.create(document());
          return;
        } catch (err) {
          if (!(err instanceof DuplicateError)) throw err;
        }
      }
      await docs.update(tenantId, id, tenantPartition(tenantId), (current) => (current && sameConversationReference(current.reference, reference) ? undefined : document()));
    },
    get: (tenantId, conversationId) => docs.read(tenantId, encodeId(conversationId), tenantPartition(tenantId)),
    async remove(tenantId, conversationId) {
      await docs.delete(encodeId(conversationId), tenantPartition(tenantId));
    },
    list: (tenantId, request) => docs.page(tenantId, { orderBy: 'c.id' }, tenantPartition(tenantId), request),
  };
}

/**
 * Whether two references reach the same chat the same way. The SDK puts the inbound activity's id
 * in every turn's reference; nothing reads it back, and counting it would rewrite the document on
 * every message.
 */
export function sameConversationReference(a: ConversationReference, b: ConversationReference): boolean {
  return sameJson(a, b, 'activityId');
}
