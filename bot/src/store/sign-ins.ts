import { createHash } from 'node:crypto';
import { DocumentCollection, type BaseDocument, type Stored } from './document-collection.js';
import { tenantPartition } from './containers.js';
import { ConcurrencyError } from './errors.js';
import { compositeId } from './ids.js';
import type { DocumentSchema } from './schema.js';
import { isEncryptedSecret, type EncryptedSecret, type SecretBox } from './secrets/secret-box.js';

/**
 * Pending Microsoft 365 sign-ins (PWA, Planner premium or Outlook): what the bot must remember
 * between "Sign in" in Teams and the browser coming back to /auth/pwa/callback. They live in the
 * leases container (short-lived, point reads only, per-item TTL; ids start with "m365-sign-in:",
 * which lease ids never contain;
 * a query over that container, if one is ever added, must filter on `c.kind`).
 * The id is a hash of the state's secret part, so the stored record alone cannot be replayed;
 * the PKCE verifier is sealed with the SecretBox. `take` is single use: it deletes with the etag
 * it read, so of two callbacks with one state only one proceeds.
 */
/** The Microsoft 365 systems PlanBridge signs in to, each a connection kind. */
export type SignInSystem = 'pwa' | 'planner' | 'outlook';

export interface SignInDraft {
  /** Which system the connection is for; it decides the token's resource and scopes. */
  system: SignInSystem;
  /** Set when signing in again for an existing connection. */
  connectionId?: string;
  name: string;
  /** The PWA site, the Dataverse environment, or the Microsoft Graph base URL. */
  url: string;
  timeZone?: string;
}

export interface SignInDocument extends BaseDocument {
  kind: 'm365-sign-in';
  /** The Teams user who asked to sign in (aadObjectId when Teams gives it, else the channel id). */
  requestedBy: { id: string; aadObjectId?: string; name?: string };
  /** Where to report the outcome (a Teams ConversationReference, stored as given). */
  conversation: Record<string, unknown>;
  draft: SignInDraft;
  verifier: EncryptedSecret;
  nonce: string;
  /** The Entra authorize URL, so /auth/pwa/start can send the browser there. Holds no secret. */
  authorizeUrl: string;
  createdAt: string;
  expiresAt: string;
  /** Seconds; Cosmos removes the record after this where TTL is on (Azure). */
  ttl: number;
}

export interface NewSignIn {
  requestedBy: SignInDocument['requestedBy'];
  conversation: Record<string, unknown>;
  draft: SignInDraft;
  verifier: string;
  nonce: string;
  authorizeUrl: string;
  ttlMs: number;
}

/** A pending sign-in as callers and the chat see it: no sealed verifier. */
export type PendingSignIn = Omit<SignInDocument, 'verifier' | 'etag'>;

/** `verifier` (the unsealed PKCE verifier) is only for the code exchange; never log or pass it on. */
export type TakeResult =
  | { ok: true; pending: PendingSignIn; verifier: string }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'expired'; pending: PendingSignIn };

export interface SignInRepository {
  create(tenantId: string, key: string, input: NewSignIn): Promise<Stored<SignInDocument>>;
  /** Looks without using it up (for the start redirect). */
  peek(tenantId: string, key: string): Promise<Stored<SignInDocument> | undefined>;
  /** Uses the pending sign-in up: a second take of the same key finds nothing. */
  take(tenantId: string, key: string): Promise<TakeResult>;
}

export const signInSchema: DocumentSchema<SignInDocument> = {
  kind: 'microsoft 365 sign-in',
  current: 1,
  upgrades: {},
  check: (doc): doc is Record<string, unknown> & SignInDocument =>
    doc.kind === 'm365-sign-in' && typeof doc.expiresAt === 'string' && isEncryptedSecret(doc.verifier) && typeof doc.draft === 'object' && doc.draft !== null,
};

const idFor = (key: string): string => compositeId('m365-sign-in', createHash('sha256').update(key).digest('hex'));
const verifierContext = (tenantId: string, id: string): string => `m365-sign-in:${tenantId}:${id}`;

export function createSignInRepository(docs: DocumentCollection<SignInDocument>, box: SecretBox, now: () => Date = () => new Date()): SignInRepository {
  return {
    async create(tenantId, key, input) {
      const id = idFor(key);
      const at = now();
      return docs.create({
        id, tenantId, pk: tenantPartition(tenantId), schemaVersion: signInSchema.current, kind: 'm365-sign-in',
        requestedBy: input.requestedBy, conversation: input.conversation, draft: input.draft,
        verifier: box.encrypt(input.verifier, verifierContext(tenantId, id)), nonce: input.nonce, authorizeUrl: input.authorizeUrl,
        createdAt: at.toISOString(), expiresAt: new Date(at.getTime() + input.ttlMs).toISOString(),
        // Keep the record a while past expiry so a late click gets "expired", not "unknown".
        ttl: Math.ceil(input.ttlMs / 1000) + 3600,
      });
    },
    peek: (tenantId, key) => docs.read(tenantId, idFor(key), tenantPartition(tenantId)),
    async take(tenantId, key) {
      const doc = await docs.read(tenantId, idFor(key), tenantPartition(tenantId));
      if (!doc) return { ok: false, reason: 'unknown' };
      try {
        if (!(await docs.delete(doc.id, doc.pk, doc.etag))) return { ok: false, reason: 'unknown' };
      } catch (err) {
        if (err instanceof ConcurrencyError) return { ok: false, reason: 'unknown' };
        throw err;
      }
      const { etag: _etag, verifier, ...pending } = doc;
      if (Date.parse(doc.expiresAt) <= now().getTime()) return { ok: false, reason: 'expired', pending };
      return { ok: true, pending, verifier: await box.decrypt(verifier, verifierContext(tenantId, doc.id)) };
    },
  };
}
