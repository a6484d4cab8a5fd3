/**
 * The work of a scheduled run: the same preview/apply engine as "sync Apollo" in chat. It plans,
 * then either applies (policy 'auto-when-clean' and nothing needs a decision) or stores the plan
 * as a preview awaiting approval; the reporter (scheduled-reports.ts) then posts the report or the
 * preview card. Nothing that needs a decision (a conflict, a deletion, a hierarchy mismatch) is
 * ever applied here. An Outlook integration's run is the event preview instead
 * (outlook/scheduled-outlook.ts), under the same lease, policy and reporter.
 *
 * Resume: the run id comes from the trigger key (`schedule:<slot>`), so a run taken over from a dead
 * instance finds the run document and the apply journal it left, and the journal makes the rerun
 * find the work items already created instead of creating twins.
 */
import type { JobContext, ScheduledWork } from '../jobs/index.js';
import { approvalPolicyOf, syncStartDate } from '../schedule/index.js';
import { runIdFor, type IntegrationDocument, type RunDocument, type Stored } from '../store/index.js';
import { applyApproved, planSync, type Planned } from '../runs/sync-run.js';
import { approvePlan } from '../sync/approve.js';
import { isNoop, type SyncPlan } from '../sync/plan.js';
import { AUTO_APPROVER, SCHEDULE_REQUESTER, type ScheduledOutcome } from './scheduled-outcome.js';
import { isOutlookIntegration } from './outlook/outlook-integration.js';
import { scheduledOutlookSync } from './outlook/scheduled-outlook.js';
import type { FlowServices } from './services.js';
import { summarize } from './sync-cards.js';
import { warnPatExpiry } from './pat-warnings.js';

/** Decisions a person must make: a plan with any of these is never applied automatically. */
export const decisionsIn = (plan: SyncPlan): number => plan.conflicts.length + plan.deletions.length + plan.hierarchy.length + (plan.matches?.length ?? 0);

export function scheduledSync(s: FlowServices): ScheduledWork<ScheduledOutcome> {
  return async (run, ctx) => {
    const i = await s.store.integrations.get(run.tenantId, run.integrationId);
    if (!i || !i.enabled) return { kind: 'gone' };
    if (isOutlookIntegration(i)) return scheduledOutlookSync(s, i, run, ctx);
    // Fenced: a holder that lost its lease must not claim (or send) the warning a second time.
    await warnPatExpiry(s, i, () => ctx.fence()).catch((err: unknown) => s.logger.warn({ tenant: i.tenantId, integration: i.id, err: err instanceof Error ? err.name : 'unknown' }, 'PAT expiry check failed'));
    const runId = runIdFor(run.trigger.key);
    const earlier = await s.store.runs.get(i.tenantId, i.id, runId);
    if (earlier && earlier.status !== 'applying') return outcomeOf(earlier);
    ctx.signal.throwIfAborted();
    // The synchronization start date, not `run.changesSince` (the last successful run's start on
    // later runs): an unlinked item from an unapproved preview, or one the creation option left for
    // a later run, would otherwise drop out of every later preview. Linked items are always diffed.
    const planned = await planSync(s, i, undefined, async () => ctx.signal.throwIfAborted(), syncStartDate(i.scheduling));
    ctx.signal.throwIfAborted();
    if (earlier) return apply(s, i, earlier, planned, ctx); // resumed mid-apply: the journal skips what was done
    if (isNoop(planned.syncPlan)) return { kind: 'in-step' };
    const decisions = decisionsIn(planned.syncPlan);
    const auto = approvalPolicyOf(i.scheduling?.approval) === 'auto-when-clean' && decisions === 0;
    const summary = summarize(planned.syncPlan, planned.planItems, planned.adoItems, i.direction, s.now());
    const { run: stored } = await s.store.runs.start(i.tenantId, {
      integrationId: i.id,
      trigger: { kind: 'schedule', key: run.trigger.key },
      status: auto ? 'applying' : 'awaiting-approval',
      plan: planned.syncPlan,
      requestedBy: { ...SCHEDULE_REQUESTER },
    });
    const withSummary = await s.store.runs.update(i.tenantId, i.id, stored.id, () => ({
      summary: { ...(summary as unknown as Record<string, unknown>), ...(auto ? { approvedBy: AUTO_APPROVER } : {}) },
    }));
    if (!auto) return { kind: 'awaiting-approval', runId: stored.id, decisions };
    return apply(s, i, withSummary, planned, ctx);
  };
}

function outcomeOf(run: RunDocument & { id: string }): ScheduledOutcome {
  if (run.status === 'awaiting-approval' || run.status === 'rejected' || run.status === 'expired') {
    return { kind: 'awaiting-approval', runId: run.id, decisions: run.plan ? decisionsIn(run.plan) : 0 };
  }
  return { kind: 'applied', runId: run.id };
}

/** Applies the fresh plan (nothing in it needs a decision) under the run's id, so the journal dedupes a resume. */
async function apply(s: FlowServices, i: Stored<IntegrationDocument>, run: Stored<RunDocument>, planned: Planned, ctx: JobContext): Promise<ScheduledOutcome> {
  if (decisionsIn(planned.syncPlan) > 0) {
    // Resumed, and the plan changed meanwhile so that it needs a person now: send it for approval.
    await s.store.runs.update(i.tenantId, i.id, run.id, () => ({ status: 'awaiting-approval', plan: planned.syncPlan }));
    return { kind: 'awaiting-approval', runId: run.id, decisions: decisionsIn(planned.syncPlan) };
  }
  const approval = approvePlan(planned.syncPlan, planned.syncPlan.hash, {});
  if (!approval.ok) throw new Error(approval.problem);
  // Planned inside this run's lease (the scheduler holds it), so the plan is already the fresh one.
  const result = await applyApproved(s, i, ctx, { runId: run.id, approved: approval.plan, plannedInLease: planned });
  if (result.kind === 'stale') throw new Error('the plan changed while it was being applied; the next run makes a fresh one');
  return { kind: 'applied', runId: run.id };
}
