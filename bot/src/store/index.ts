import type { Logger } from '../log.js';
import { connectCosmos } from './connect.js';
import { connectionSchema, createConnectionRepository, type ConnectionRepository } from './connections.js';
import { conversationSchema, createConversationRepository, type ConversationRepository } from './conversations.js';
import { DocumentCollection } from './document-collection.js';
import { QueryCache } from './query-cache.js';
import { createEventLinkRepository, eventLinkSchema, type EventLinkRepository } from './event-links.js';
import { createIntegrationRepository, integrationSchema, type IntegrationRepository } from './integrations.js';
import { createJournalRepository, journalSchema, type JournalRepository } from './journal.js';
import { createLeaseRepository, leaseSchema, type LeaseRepository } from './leases.js';
import { createLinkRepository, linkSchema, workItemIndexSchema, type LinkRepository } from './links.js';
import { createSignInRepository, signInSchema, type SignInRepository } from './sign-ins.js';
import { createRunRepository, runSchema, type RunRepository } from './runs.js';
import { createUsageRepository, usageAnchorSchema, usageSchema, type UsageRepository } from './usage.js';
import { chooseKeySource, type KeyVaultSecrets } from './secrets/key-sources.js';
import { SecretBox } from './secrets/secret-box.js';

export interface StoreOptions {
  /** No endpoint = the embedded server, persisted under dataDir. */
  cosmos: { endpoint?: string; key?: string; database: string };
  /** PLANBRIDGE_DATA_DIR, default '.data'. */
  dataDir: string;
  /** PLANBRIDGE_SECRET_KEY (base64, 32 bytes). */
  secretKey?: string;
  /** KEY_VAULT_URI */
  keyVaultUri?: string;
  logger: Logger;
  /** Older env keys that may still seal stored secrets (only the rotate command passes these). */
  previousSecretKeys?: string[];
  /** Seams for tests. */
  now?: () => Date;
  keyVault?: KeyVaultSecrets;
}

export interface Store {
  readonly mode: 'embedded' | 'remote';
  conversations: ConversationRepository;
  connections: ConnectionRepository;
  integrations: IntegrationRepository;
  links: LinkRepository;
  /** Plan task <-> Outlook event links (links container, own document type). */
  eventLinks: EventLinkRepository;
  runs: RunRepository;
  /** Apply journal of runs (write-ahead records for resume). */
  journal: JournalRepository;
  leases: LeaseRepository;
  /** Usage metering: one record per unique item per 30-day window (leases container). */
  usage: UsageRepository;
  /** Pending Microsoft 365 sign-ins (state -> Teams user, conversation, sealed PKCE verifier). */
  signIns: SignInRepository;
  secrets: SecretBox;
  /** Is the database reachable (GET /healthz). Never throws. */
  ping(): Promise<boolean>;
  /** Stops using the database; in embedded mode saves a snapshot and stops the server. */
  close(): Promise<void>;
}

const PING_TIMEOUT_MS = 5000;

export async function openStore(options: StoreOptions): Promise<Store> {
  const logger = options.logger.child({ component: 'store' });
  const connection = await connectCosmos(options.cosmos, options.dataDir, logger);
  let secrets: SecretBox;
  try {
    const keySource = chooseKeySource({ ...options, logger });
    secrets = new SecretBox(await keySource.load(), () => keySource.load());
    logger.info({ keySource: keySource.kind, keyId: secrets.activeKeyId }, 'secret encryption key loaded');
  } catch (err) {
    await connection.close();
    throw err;
  }
  const { containers } = connection;
  const now = options.now ?? (() => new Date());
  // Query results are kept only where this process is the database's one writer (query-cache.ts).
  const cache = connection.mode === 'embedded' ? new QueryCache() : undefined;
  let closed = false;
  return {
    mode: connection.mode,
    conversations: createConversationRepository(new DocumentCollection(containers.conversations, conversationSchema, cache), now),
    connections: createConnectionRepository(new DocumentCollection(containers.connections, connectionSchema, cache), secrets, now),
    integrations: createIntegrationRepository(new DocumentCollection(containers.integrations, integrationSchema, cache), now),
    links: createLinkRepository(new DocumentCollection(containers.links, linkSchema, cache), new DocumentCollection(containers.links, workItemIndexSchema, cache), now),
    eventLinks: createEventLinkRepository(new DocumentCollection(containers.links, eventLinkSchema, cache), now),
    runs: createRunRepository(new DocumentCollection(containers.runs, runSchema, cache), now),
    journal: createJournalRepository(new DocumentCollection(containers.runs, journalSchema, cache), now),
    leases: createLeaseRepository(new DocumentCollection(containers.leases, leaseSchema, cache), now),
    usage: createUsageRepository(new DocumentCollection(containers.leases, usageSchema, cache), new DocumentCollection(containers.leases, usageAnchorSchema, cache), now),
    signIns: createSignInRepository(new DocumentCollection(containers.leases, signInSchema, cache), secrets, now),
    secrets,
    async ping() {
      if (closed) return false;
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), PING_TIMEOUT_MS);
        });
        await Promise.race([connection.database.read(), timeout]);
        return true;
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message.split('\n')[0] : 'unknown' }, 'store ping failed');
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      closed = true;
      await connection.close();
    },
  };
}

export type { ConnectionAuth, ConnectionChanges, ConnectionDocument, ConnectionKind, ConnectionOrigin, ConnectionPerson, ConnectionRepository, ConnectionSharing, NewConnection, RotationResult, OutlookSettings } from './connections.js';
export { connectionOwner, connectionSharing } from './connections.js';
export type { ConversationDocument, ConversationRepository } from './conversations.js';
export type { BaseDocument, Page, PageRequest, Stored } from './document-collection.js';
export type { AdoScopeSetting, Approver, IntegrationChanges, IntegrationDocument, IntegrationRepository, IntegrationSettings, MappingRule, NewIntegration, SyncDirection } from './integrations.js';
export type { JournalEntryDocument, JournalRepository, JournalWrite } from './journal.js';
export type { EventLinkDocument, EventLinkRepository, EventLinkValues } from './event-links.js';
export { meterWorkItems, USAGE_WINDOW_DAYS, type SyncedItemResult, type UsageCount, type UsageItem, type UsageKind, type UsageRepository, type UsageSummary, type UsageWindow } from './usage.js';
export { LeaseLostError, SYSTEM_TENANT, type LeaseDocument, type LeaseRepository } from './leases.js';
export type { LinkBaseline, LinkDocument, LinkRepository, NewLink } from './links.js';
export type { NewSignIn, PendingSignIn, SignInDocument, SignInDraft, SignInRepository, SignInSystem, TakeResult } from './sign-ins.js';
export { runIdFor, type Approval, type NewRun, type RunChanges, type RunDocument, type RunOutcome, type RunRepository, type RunStatus, type RunSummary, type RunTrigger } from './runs.js';
export { SecretBox, SecretError, type EncryptedSecret } from './secrets/secret-box.js';
export * from './errors.js';
