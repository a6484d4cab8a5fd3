import { randomUUID } from 'node:crypto';
import type { ItemDefinition } from '@azure/cosmos';
import { DocumentCollection, MAX_UPDATE_ATTEMPTS, type BaseDocument, type Stored } from './document-collection.js';
import { tenantPartition } from './containers.js';
import { ConcurrencyError, NotFoundError } from './errors.js';
import { encodeId } from './ids.js';
import type { DocumentSchema } from './schema.js';
import { isEncryptedSecret, type EncryptedSecret, type SecretBox } from './secrets/secret-box.js';

/**
 * Connections to Azure DevOps and to a plan system: Project Web App, or Planner premium (Dataverse). Partition: tenant (a tenant has a handful);
 * id: a GUID, so "connection by id" is a point read. The credential (PAT, password or refresh
 * token) is stored only as an EncryptedSecret bound to tenant + connection id; it is decrypted by
 * `revealSecret`, which only connectors call.
 */
export type ConnectionKind = 'ado' | 'pwa' | 'planner' | 'outlook';

/** An Outlook (Microsoft Graph) connection: whose calendar, and how the token acts (flows/outlook). */
export interface OutlookSettings {
  /** 'delegated': as the signed-in user (`me`); 'app': PlanBridge's app, scoped by an application access policy. */
  access: 'delegated' | 'app';
  /** The mailbox's UPN or id (app access only). */
  mailbox?: string;
  /** The calendar owner's address as the last check found it: the organizer, never invited to their own events. */
  address?: string;
}

export type ConnectionAuth =
  | { type: 'pat' }
  /**
   * Azure DevOps through Microsoft Entra ID. The client secret, or the certificate with its private
   * key (one PEM), is the sealed `secret`; a managed identity has none (`clientId`: the user-assigned
   * identity's, or 'system').
   */
  | {
    type: 'entra'; tenantId: string; clientId: string; credential: 'secret' | 'certificate' | 'managed-identity';
  }
  /** Microsoft 365 sign-in (clientId set: a sealed MSAL cache), or without clientId a bare access token (PWA, Planner premium). */
  /** `account`: the Microsoft 365 account (UPN) that signed in, for Microsoft 365 sign-in. */
  /** `appOnly`: no user; PlanBridge's own app (clientId) gets app tokens from `authority` (client credentials), nothing sealed. */
  | { type: 'oauth'; clientId?: string; authority?: string; scopes?: string[]; account?: string; appOnly?: boolean }
  | { type: 'basic' | 'ntlm'; username: string; domain?: string };

/** A person as Teams names them: the Teams user id, and the Entra object id when Teams sent one. */
export interface ConnectionPerson {
  id: string;
  aadObjectId?: string;
  name?: string;
}

/**
 * Who besides the owner may use a connection (link it, sync with it). Default 'owner': a PAT or
 * password acts as the person who made it, so handing it to others is their deliberate choice.
 */
export type ConnectionSharing =
  | { mode: 'owner' }
  | { mode: 'people'; people: ConnectionPerson[] }
  /** Everyone in one group chat or channel (the conversation id without a thread suffix). */
  | { mode: 'conversation'; conversationId: string; conversationKind: 'groupChat' | 'channel' };

/** The conversation a connection was made in (where "everyone in the chat" points by default). */
export interface ConnectionOrigin {
  conversationId: string;
  conversationKind: 'personal' | 'groupChat' | 'channel';
}

export interface ConnectionDocument extends BaseDocument {
  kind: ConnectionKind;
  name: string;
  /** ADO organization URL, PWA site URL or Dataverse environment URL (Planner premium). */
  url: string;
  auth: ConnectionAuth;
  secret?: EncryptedSecret;
  /** Result of the last credential check (for example the PAT scopes found). */
  check?: { ok: boolean; checkedAt: string; scopes?: string[]; problem?: string };
  /** When the credential stops working, if the user told us (a PAT's expiry date, YYYY-MM-DD). */
  expiresOn?: string;
  /** IANA zone the plan's dates are in (PWA and Planner premium connections). */
  timeZone?: string;
  /** Outlook connections only. */
  outlook?: OutlookSettings;
  /** Entra object id or Teams user id of who made it (older records have only this; see connectionOwner). */
  createdBy?: string;
  owner?: ConnectionPerson;
  sharing?: ConnectionSharing;
  origin?: ConnectionOrigin;
  createdAt: string;
  updatedAt: string;
}

export interface NewConnection {
  id?: string;
  kind: ConnectionKind;
  name: string;
  url: string;
  auth: ConnectionAuth;
  /** Plaintext credential; encrypted before it is stored. */
  secret?: string;
  expiresOn?: string;
  timeZone?: string;
  outlook?: OutlookSettings;
  createdBy?: string;
  owner?: ConnectionPerson;
  sharing?: ConnectionSharing;
  origin?: ConnectionOrigin;
}

/** Fields a caller may change; `secret` goes through setSecret. */
export type ConnectionChanges = Partial<Pick<ConnectionDocument, 'name' | 'url' | 'auth' | 'check' | 'expiresOn' | 'timeZone' | 'owner' | 'sharing' | 'origin' | 'outlook'>>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The owner, read without a schema step. Records made before owners were stored (and those the
 * Microsoft 365 sign-in callback writes) carry only `createdBy`, the Entra object id when Teams
 * sent one, else the Teams user id; that person is the owner. No `createdBy` at all: no owner, so
 * only tenant admins manage it.
 */
export function connectionOwner(c: Pick<ConnectionDocument, 'owner' | 'createdBy'>): ConnectionPerson | undefined {
  if (c.owner && typeof c.owner.id === 'string') return c.owner;
  if (!c.createdBy) return undefined;
  return GUID.test(c.createdBy) ? { id: c.createdBy, aadObjectId: c.createdBy } : { id: c.createdBy };
}

/** The sharing setting; absent or malformed (older records) reads as the safe default, owner only. */
export function connectionSharing(c: Pick<ConnectionDocument, 'sharing'>): ConnectionSharing {
  const sh = c.sharing;
  if (sh?.mode === 'people' && Array.isArray(sh.people)) return { mode: 'people', people: sh.people.filter((p) => typeof p?.id === 'string') };
  if (sh?.mode === 'conversation' && typeof sh.conversationId === 'string' && (sh.conversationKind === 'groupChat' || sh.conversationKind === 'channel')) return sh;
  return { mode: 'owner' };
}

export interface RotationResult {
  scanned: number;
  reencrypted: number;
  /** Records that could not be re-encrypted (for example sealed with a key no longer available). */
  failed: { tenantId: string; id: string; reason: string }[];
}

export interface ConnectionRepository {
  create(tenantId: string, input: NewConnection): Promise<Stored<ConnectionDocument>>;
  get(tenantId: string, id: string): Promise<Stored<ConnectionDocument> | undefined>;
  list(tenantId: string, filter?: { kind?: ConnectionKind }): Promise<Stored<ConnectionDocument>[]>;
  /** Read-modify-write with etag; `change` sees the current version and may run more than once. */
  update(tenantId: string, id: string, change: (current: Stored<ConnectionDocument>) => ConnectionChanges): Promise<Stored<ConnectionDocument>>;
  setSecret(tenantId: string, id: string, plaintext: string): Promise<Stored<ConnectionDocument>>;
  /** The plaintext credential, for a connector about to call out. Never log or display it. */
  revealSecret(connection: ConnectionDocument): Promise<string | undefined>;
  remove(tenantId: string, id: string): Promise<boolean>;
  /** Re-encrypts every stored credential, in every tenant, under the active key (rotation). */
  reencryptAll(): Promise<RotationResult>;
  /** Connections in every tenant whose credential expires on or before `day` (YYYY-MM-DD): the daily expiry scan. */
  expiringBy(day: string, limit?: number): Promise<Stored<ConnectionDocument>[]>;
}

export const connectionSchema: DocumentSchema<ConnectionDocument> = {
  kind: 'connection',
  current: 1,
  upgrades: {},
  check: (doc): doc is Record<string, unknown> & ConnectionDocument =>
    (doc.kind === 'ado' || doc.kind === 'pwa' || doc.kind === 'planner' || doc.kind === 'outlook') && typeof doc.url === 'string' && typeof doc.auth === 'object' && (doc.secret === undefined || isEncryptedSecret(doc.secret)),
};

/** Associated data of a connection's ciphertext: it only decrypts on this record. */
export const secretContext = (tenantId: string, id: string): string => `connection:${tenantId}:${id}`;

export function createConnectionRepository(docs: DocumentCollection<ConnectionDocument>, box: SecretBox, now: () => Date = () => new Date()): ConnectionRepository {
  const repo: ConnectionRepository = {
    async create(tenantId, input) {
      const id = input.id ?? randomUUID();
      const at = now().toISOString();
      return docs.create({
        id: encodeId(id),
        tenantId,
        pk: tenantPartition(tenantId),
        schemaVersion: connectionSchema.current,
        kind: input.kind,
        name: input.name,
        url: input.url,
        auth: input.auth,
        ...(input.secret !== undefined ? { secret: box.encrypt(input.secret, secretContext(tenantId, encodeId(id))) } : {}),
        ...(input.expiresOn !== undefined ? { expiresOn: input.expiresOn } : {}),
        ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
        ...(input.outlook !== undefined ? { outlook: input.outlook } : {}),
        ...(input.createdBy !== undefined ? { createdBy: input.createdBy } : {}),
        ...(input.owner !== undefined ? { owner: input.owner } : {}),
        ...(input.sharing !== undefined ? { sharing: input.sharing } : {}),
        ...(input.origin !== undefined ? { origin: input.origin } : {}),
        createdAt: at,
        updatedAt: at,
      });
    },
    get: (tenantId, id) => docs.read(tenantId, encodeId(id), tenantPartition(tenantId)),
    list: (tenantId, filter = {}) =>
      docs.all(tenantId, filter.kind ? { where: 'c.kind = @kind', parameters: [{ name: '@kind', value: filter.kind }], orderBy: 'c.name' } : { orderBy: 'c.name' }, tenantPartition(tenantId)),
    async update(tenantId, id, change) {
      const updated = await docs.update(tenantId, encodeId(id), tenantPartition(tenantId), (current) => {
        if (!current) throw new NotFoundError('connection', id);
        const { etag: _etag, ...doc } = current;
        return { ...doc, ...change(current), updatedAt: now().toISOString() };
      });
      return updated!;
    },
    async setSecret(tenantId, id, plaintext) {
      const secret = box.encrypt(plaintext, secretContext(tenantId, encodeId(id)));
      const updated = await docs.update(tenantId, encodeId(id), tenantPartition(tenantId), (current) => {
        if (!current) throw new NotFoundError('connection', id);
        const { etag: _etag, ...doc } = current;
        return { ...doc, secret, updatedAt: now().toISOString() };
      });
      return updated!;
    },
    async revealSecret(connection) {
      return connection.secret ? box.decrypt(connection.secret, secretContext(connection.tenantId, connection.id)) : undefined;
    },
    remove: (tenantId, id) => docs.delete(encodeId(id), tenantPartition(tenantId)),
    async expiringBy(day, limit = 1000) {
      const top = Math.min(Math.max(Math.floor(limit), 1), 1000);
      // Cross-tenant by design, like reencryptAll; each document is then read against its own tenant.
      const { resources } = await docs.container.items.query<ItemDefinition>({
        query: `SELECT TOP ${top} * FROM c WHERE IS_DEFINED(c.expiresOn) AND c.expiresOn <= @day ORDER BY c.expiresOn`,
        parameters: [{ name: '@day', value: day }],
      }).fetchAll();
      return resources.map((raw) => docs.fromCosmos(String(raw.tenantId), raw)).filter((d): d is Stored<ConnectionDocument> => d !== undefined);
    },
    async reencryptAll() {
      const result: RotationResult = { scanned: 0, reencrypted: 0, failed: [] };
      // Administrative cross-tenant scan: the only query without a tenant filter, by design.
      const iterator = docs.container.items.query<{ id: string; tenantId: string; secret?: unknown }>('SELECT c.id, c.tenantId, c.secret FROM c', { maxItemCount: 200 });
      while (iterator.hasMoreResults()) {
        const { resources } = await iterator.fetchNext();
        for (const row of resources ?? []) {
          result.scanned++;
          if (!isEncryptedSecret(row.secret) || !box.needsRotation(row.secret)) continue;
          try {
            if (await reencryptOne(row.tenantId, row.id)) result.reencrypted++;
          } catch (err) {
            result.failed.push({ tenantId: row.tenantId, id: row.id, reason: err instanceof Error ? err.message : 'unknown error' });
          }
        }
      }
      return result;
    },
  };

  /** Etag-guarded, so a concurrent setSecret is never overwritten with the old credential. */
  async function reencryptOne(tenantId: string, id: string): Promise<boolean> {
    for (let attempt = 1; attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
      const current = await docs.read(tenantId, id, tenantPartition(tenantId));
      if (!current?.secret || !box.needsRotation(current.secret)) return false;
      const secret = await box.rotate(current.secret, secretContext(tenantId, id));
      const { etag, ...doc } = current;
      try {
        await docs.replace({ ...doc, secret }, etag, tenantPartition(tenantId));
        return true;
      } catch (err) {
        if (!(err instanceof ConcurrencyError)) throw err;
      }
    }
    throw new ConcurrencyError('connection', id, 'kept changing during rotation; run the rotation again');
  }
  return repo;
}
