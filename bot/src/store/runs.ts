import { integrationPartition } from './containers.js';
import { DocumentCollection, type BaseDocument, type DocumentQuery, type Page, type PageRequest, type Stored } from './document-collection.js';
import { DuplicateError, NotFoundError } from './errors.js';
import { compositeId } from './ids.js';
import type { DocumentSchema } from './schema.js';
import type { SyncPlan } from '../sync/plan.js';

/**
 * Sync runs: the plan that was previewed, who approved it, and the outcome, kept as an audit
 * trail. Partition: tenant + integration (runs are read per integration, and grow with time).
 * A run's id is derived from what started it (`trigger.key`: an approval id, a schedule slot,
 * a chat request id), so a double-clicked Approve or a schedule firing on two instances finds
 * the existing run instead of starting a second one.
 */
export type RunStatus = 'planned' | 'awaiting-approval' | 'approved' | 'applying' | 'succeeded' | 'partially-succeeded' | 'failed' | 'rejected' | 'expired';

export interface RunTrigger {
  kind: 'chat' | 'card' | 'schedule';
  /** What makes this run unique, e.g. `approval:<id>` or `schedule:2025-01-06T09:00Z`. */
  key: string;
  /** AAD object id of the person who asked, when there is one. */
  by?: string;
}

export interface Approval {
  /** Display name at the time, for reading; names change and repeat, so the ids below are the audit record. */
  by: string;
  /** The approver's Microsoft Entra object id (absent on runs recorded before it was kept). */
  aadObjectId?: string;
  /** The Teams user id, for channels where Entra ids are not sent. */
  userId?: string;
  decision: 'approved' | 'rejected';
  at: string;
}

export interface RunOutcome {
  finishedAt: string;
  applied: number;
  failed: number;
  errors: { itemKey: string; message: string }[];
}

export interface RunDocument extends BaseDocument {
  pk: string;
  integrationId: string;
  trigger: RunTrigger;
  status: RunStatus;
  /** The SyncPlan the preview showed; approval applies exactly this (its hash guards it when read back). */
  plan?: SyncPlan;
  approvals: Approval[];
  outcome?: RunOutcome;
  /** Per-item decisions made on the preview card (conflict sides, parents, deletions). */
  choices?: { conflicts?: Record<string, string>; hierarchy?: Record<string, string>; deletions?: Record<string, string> };
  /** Who asked for the preview, shown in group chats and channels. */
  requestedBy?: { id: string; name?: string; aadObjectId?: string };
  /** Where the preview card lives, so progress and the report replace it in place. */
  card?: { conversationId: string; activityId?: string };
  /** Counts and links for the report card, kept for history. */
  summary?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface NewRun {
  integrationId: string;
  trigger: RunTrigger;
  status?: RunStatus;
  plan?: SyncPlan;
  requestedBy?: RunDocument['requestedBy'];
  card?: RunDocument['card'];
}

/** What a line of history shows about a run, read without its plan (see `summaries`). */
export interface RunSummary {
  id: string;
  status: RunStatus;
  createdAt: string;
  triggerKind: RunTrigger['kind'];
  approvals: Approval[];
  /** The plan's counts, when the run has a plan. */
  counts?: SyncPlan['counts'];
  /** From the outcome, when the run finished applying. */
  applied?: number;
  failed?: number;
}

const SUMMARY_FIELDS: Record<keyof RunSummary, string> = {
  id: 'id', status: 'status', createdAt: 'createdAt', triggerKind: 'trigger.kind', approvals: 'approvals',
  counts: 'plan.counts', applied: 'outcome.applied', failed: 'outcome.failed',
};

export type RunChanges = Partial<Pick<RunDocument, 'status' | 'plan' | 'approvals' | 'outcome' | 'choices' | 'card' | 'summary'>>;

export interface RunRepository {
  /** Starts the run for `trigger.key`, or returns the one that already exists (`created: false`). */
  start(tenantId: string, input: NewRun): Promise<{ run: Stored<RunDocument>; created: boolean }>;
  get(tenantId: string, integrationId: string, runId: string): Promise<Stored<RunDocument> | undefined>;
  /** Read-modify-write with etag; `change` may run more than once, so keep it pure. */
  update(tenantId: string, integrationId: string, runId: string, change: (current: Stored<RunDocument>) => RunChanges): Promise<Stored<RunDocument>>;
  /** Newest first. */
  list(tenantId: string, integrationId: string, request?: PageRequest): Promise<Page<Stored<RunDocument>>>;
  /** Newest first, a line's worth of each run: what status and history show, without reading plans. */
  summaries(tenantId: string, integrationId: string, request?: PageRequest): Promise<Page<RunSummary>>;
}

export const runSchema: DocumentSchema<RunDocument> = {
  kind: 'run',
  current: 1,
  upgrades: {},
  check: (doc): doc is Record<string, unknown> & RunDocument =>
    typeof doc.integrationId === 'string' && typeof doc.status === 'string' && Array.isArray(doc.approvals) && typeof doc.trigger === 'object',
};

export const runIdFor = (triggerKey: string): string => compositeId('run', triggerKey);

const newestFirst = (integrationId: string): DocumentQuery => ({
  where: 'c.integrationId = @integrationId', parameters: [{ name: '@integrationId', value: integrationId }], orderBy: 'c.createdAt DESC',
});

export function createRunRepository(docs: DocumentCollection<RunDocument>, now: () => Date = () => new Date()): RunRepository {
  return {
    async start(tenantId, input) {
      const pk = integrationPartition(tenantId, input.integrationId);
      const at = now().toISOString();
      const id = runIdFor(input.trigger.key);
      try {
        const run = await docs.create({
          id, tenantId, schemaVersion: runSchema.current, pk, integrationId: input.integrationId, trigger: input.trigger,
          status: input.status ?? 'planned', ...(input.plan !== undefined ? { plan: input.plan } : {}), approvals: [],
          ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}), ...(input.card ? { card: input.card } : {}), createdAt: at, updatedAt: at,
        });
        return { run, created: true };
      } catch (err) {
        if (!(err instanceof DuplicateError)) throw err;
        const existing = await docs.read(tenantId, id, pk);
        if (!existing) throw err;
        return { run: existing, created: false };
      }
    },
    get: (tenantId, integrationId, runId) => docs.read(tenantId, runId, integrationPartition(tenantId, integrationId)),
    async update(tenantId, integrationId, runId, change) {
      const updated = await docs.update(tenantId, runId, integrationPartition(tenantId, integrationId), (current) => {
        if (!current) throw new NotFoundError('run', runId);
        const { etag: _etag, ...doc } = current;
        return { ...doc, ...change(current), updatedAt: now().toISOString() };
      });
      return updated!;
    },
    list: (tenantId, integrationId, request) => docs.page(tenantId, newestFirst(integrationId), integrationPartition(tenantId, integrationId), request),
    summaries: (tenantId, integrationId, request) =>
      docs.project<RunSummary>(tenantId, SUMMARY_FIELDS, newestFirst(integrationId), integrationPartition(tenantId, integrationId), request),
  };
}
