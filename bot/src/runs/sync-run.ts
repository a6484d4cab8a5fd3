/**
 * The application layer of a sync run, for every trigger (chat, card, schedule, retry):
 * open the ports and read both sides; plan through the engine's own preview; (the caller stores a
 * typed run and holds the integration lease); re-plan inside the lease and compare the approved
 * hash once; apply; record true baselines through the engine's own link merge.
 * Flows decide what to show and which policy applies; they hold no copy of this logic.
 */
import { createLinkBook } from '../adapters/link-book.js';
import { createStoreJournal } from '../adapters/store-journal.js';
import { AdoConnectorError } from '../connectors/ado/index.js';
import { UserFacingError } from '../errors.js';
import type { JobContext } from '../jobs/index.js';
import { syncStartDate } from '../schedule/index.js';
import { meterWorkItems, type IntegrationDocument, type RunDocument, type Stored, type SyncDirection } from '../store/index.js';
import { applyPlan, type ApplyOutcome, type ItemResult } from '../sync/apply.js';
import type { ApprovedPlan } from '../sync/approve.js';
import type { Integration, Item, Link } from '../sync/model.js';
import type { SyncPlan } from '../sync/plan.js';
import type { ApplyJournal, AdoSide, PlanSide } from '../sync/ports.js';
import { preview } from '../sync/preview.js';
import { settleLinks } from '../sync/settle.js';
import { toEngineIntegration } from '../flows/integration-model.js';
import { matchPlanPeople, readAssignableUsers, resourceFields, withWarning, type AssignableUsers } from '../flows/people-directory.js';
import { errorMessage, FlowProblem } from '../flows/card-kit.js';
import type { AdoDirectory } from '../flows/systems.js';
import type { FlowServices } from '../flows/services.js';

export interface SyncPorts {
  readonly plan: PlanSide;
  readonly ado: AdoSide;
  readonly directory: AdoDirectory;
  /** The plan system's address (PWA site or Dataverse environment) and which system it is. */
  readonly planSiteUrl: string;
  readonly planSystem: string;
  /** The plan site's zone: the engine reads and writes plan dates as calendar days in it. */
  readonly timeZone: string;
  /** Task custom fields the plan site has: the PlanBridge fields are written only where they exist. */
  readonly planTaskFields: readonly string[];
}

/** What planning read and made; apply uses exactly these ports, links and engine integration. */
export interface Planned {
  readonly syncPlan: SyncPlan;
  readonly planItems: readonly Item[];
  readonly adoItems: readonly Item[];
  readonly links: readonly Link[];
  readonly engine: Integration;
  readonly ports: SyncPorts;
}

async function openPorts(s: FlowServices, i: IntegrationDocument): Promise<SyncPorts> {
  const [planConnection, ado] = await Promise.all([s.store.connections.get(i.tenantId, i.planConnectionId), s.store.connections.get(i.tenantId, i.adoConnectionId)]);
  if (!planConnection || !ado) throw new FlowProblem('A connection this integration uses was removed. Connect again, then link the project again.');
  // The integration's plan connection says which plan system it is (PWA or Planner premium).
  const planConnector = await s.systems.plan(planConnection);
  const directory = await s.systems.ado(ado);
  const planTaskFields = (await planConnector.listFields()).filter((f) => f.entity === 'task').map((f) => f.name);
  return { plan: s.systems.planSide(planConnector), ado: directory.side(), directory, planSiteUrl: planConnection.url, planSystem: planConnector.system, timeZone: planConnector.timeZone, planTaskFields };
}

/**
 * Reads both sides and plans, reporting each step through `step`. `changesSince` defaults to the
 * integration's synchronization start date, so a chat preview, a scheduled preview and the re-check
 * before applying either one plan alike and the approved hash still matches.
 */
export async function planSync(
  s: FlowServices, i: IntegrationDocument, direction: SyncDirection | undefined,
  step: (n: number) => Promise<void> = async () => undefined, changesSince = syncStartDate(i.scheduling),
): Promise<Planned> {
  try {
    const ports = await openPorts(s, i);
    const stored: Integration = { ...toEngineIntegration(i, direction), timeZone: ports.timeZone, planTaskFields: ports.planTaskFields };
    const links = await createLinkBook(s.store.links, i.tenantId, i.id).load();
    let people: AssignableUsers = { users: [] };
    const made = await preview(ports, stored, links, {
      step,
      ...(changesSince !== undefined ? { changesSince } : {}),
      prepare: async (planItems) => {
        // Assignable users are only worth a request when a rule maps resources.
        if (resourceFields(stored).length > 0) people = await readAssignableUsers(s, ports.directory, i);
        return { ...stored, identities: matchPlanPeople(stored, planItems, people.users, i.identityMap).map };
      },
    });
    const syncPlan = people.problem ? withWarning(made.plan, `People were matched by the choices saved here only: ${people.problem}`) : made.plan;
    return { syncPlan, planItems: made.planItems, adoItems: made.adoItems, links, engine: made.integration, ports };
  } catch (err) {
    // Here, not in each caller: chat previews, approvals and scheduled runs all flag a dead credential.
    await markNeedsAttention(s, i.tenantId, err instanceof AdoConnectorError ? i.adoConnectionId : i.planConnectionId, err);
    throw err;
  }
}

/** A refused sign-in or permission from a connection that used to work: flag it so "connections" (and "Fix the connection") offer the fix. */
export async function markNeedsAttention(s: FlowServices, tenantId: string, connectionId: string, err: unknown): Promise<void> {
  if (!(err instanceof UserFacingError) || !err.needsAttention) return;
  await s.store.connections.update(tenantId, connectionId, () => ({ check: { ok: false, checkedAt: s.now().toISOString(), problem: errorMessage(err) } })).catch(() => undefined);
  s.systems.forget(connectionId);
}

export type ApplyResult =
  | { readonly kind: 'applied'; readonly run: Stored<RunDocument>; readonly outcome: ApplyOutcome }
  /** Re-planning inside the lease gave another plan: nothing was written. */
  | { readonly kind: 'stale' };

export interface ApplyRequest {
  readonly runId: string;
  readonly approved: ApprovedPlan;
  /** The direction the preview was made for (a one-off "sync ... both ways" differs from the stored one). */
  readonly direction?: SyncDirection;
  /** A plan made inside this same lease (a scheduled run): no need to read both sides again. */
  readonly plannedInLease?: Planned;
  readonly onResult?: (result: ItemResult) => void;
}

/**
 * Applies an approved plan. Takes the lease's JobContext, so it cannot be called without holding
 * the integration's lease; journal intents stop once the lease is lost, before another instance
 * resumes the run.
 */
export async function applyApproved(s: FlowServices, i: Stored<IntegrationDocument>, lease: JobContext, request: ApplyRequest): Promise<ApplyResult> {
  const fresh = request.plannedInLease ?? await planSync(s, i, request.direction, async () => lease.signal.throwIfAborted());
  if (fresh.syncPlan.hash !== request.approved.planHash) return { kind: 'stale' };
  lease.signal.throwIfAborted();
  const started = Date.now();
  const journal = fenced(createStoreJournal(s.store.journal, i.tenantId, i.id), lease);
  const outcome = await applyPlan(request.approved, { ado: fresh.ports.ado, plan: fresh.ports.plan, journal }, {
    runId: request.runId, integration: fresh.engine,
    onResult: (r) => {
      void lease.heartbeat().catch(() => undefined);
      request.onResult?.(r);
    },
  });
  const run = await recordRun(s, i, request.runId, fresh, request.approved, outcome, Date.now() - started);
  return { kind: 'applied', run, outcome };
}

/** Records true baselines, then the run's status, outcome and report data. */
async function recordRun(s: FlowServices, i: IntegrationDocument, runId: string, fresh: Planned, approved: ApprovedPlan, outcome: ApplyOutcome, durationMs: number): Promise<Stored<RunDocument>> {
  const after = await settleLinks(fresh.ports, fresh.engine, fresh.links, outcome, { planItems: fresh.planItems, approved });
  await createLinkBook(s.store.links, i.tenantId, i.id).save(fresh.links, after, { runId, syncedAt: s.now().toISOString() });
  // Usage: each work item transferred counts once per 30-day window; a resumed run counts nothing new.
  await meterWorkItems(s.store.usage, i.tenantId, i.id, outcome.results)
    .catch((err: unknown) => s.logger.warn({ tenant: i.tenantId, integration: i.id, err: err instanceof Error ? err.name : 'unknown' }, 'usage metering failed'));
  const failed = outcome.counts.failed;
  const stale = outcome.counts.stale;
  const status = failed === 0 && stale === 0 ? 'succeeded' : outcome.counts.done > 0 ? 'partially-succeeded' : 'failed';
  const final = await s.store.runs.update(i.tenantId, i.id, runId, (current) => ({
    status,
    outcome: {
      finishedAt: s.now().toISOString(), applied: outcome.counts.done, failed: failed + stale,
      errors: outcome.results.filter((r) => r.status !== 'done').map((r) => ({ itemKey: r.key ?? r.opId, message: r.reason ?? r.status })),
    },
    summary: {
      ...(current.summary ?? {}), durationMs, planUrl: planUrlOf(fresh.ports.planSystem, fresh.ports.planSiteUrl, i.planProjectId),
      results: outcome.results.map((r) => ({ opId: r.opId, status: r.status, side: r.side, ...(r.key ? { key: r.key } : {}), ...(r.reason ? { reason: r.reason } : {}) })),
    },
  }));
  s.logger.info({ tenant: i.tenantId, integration: i.id, run: runId, done: outcome.counts.done, stale, failed }, 'run applied');
  return final;
}

/** Where the plan opens: PWA's schedule page, or the project record in the Dataverse environment. */
function planUrlOf(system: string, siteUrl: string, projectId: string): string {
  const site = siteUrl.replace(/\/+$/, '');
  if (system === 'planner') return `${site}/main.aspx?pagetype=entityrecord&etn=msdyn_project&id=${encodeURIComponent(projectId)}`;
  return `${site}/project%20detail%20pages/schedule.aspx?projuid=${encodeURIComponent(projectId)}`;
}

/**
 * The engine stops a run when its journal cannot be written; fencing every journal write (a fresh
 * lease read, see JobContext.fence) stops a holder that was paused or starved past its lease
 * before its next intent or outcome is recorded, so only the instance that took over writes on.
 */
export function fenced(journal: ApplyJournal, lease: JobContext): ApplyJournal {
  return {
    recordIntent: async (runId, entry) => {
      await lease.fence();
      return journal.recordIntent(runId, entry);
    },
    markDone: async (runId, entry) => {
      await lease.fence();
      return journal.markDone(runId, entry);
    },
    list: (runId) => journal.list(runId),
  };
}
