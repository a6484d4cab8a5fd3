/**
 * The scheduled run of an Outlook integration: the same event preview as "sync project Apollo to
 * Outlook", then, by the approval policy, either kept for an approver (the reporter posts the
 * preview card) or, under 'auto-when-clean' with nothing to decide, applied at once under the run's
 * lease. A proposed cancel is a decision: it mails every attendee, so it is only ever applied by
 * someone switching it on in a preview; a run that proposes one applies nothing and sends the
 * preview instead, as an ADO run with a deletion does.
 *
 * Resume: the run id comes from the trigger key (`schedule:<slot>`), so a run taken over mid-apply
 * finds its journal, and the event markers make the rerun adopt the events already created
 * instead of inviting anyone twice.
 */
import { eventDecisionsIn, eventPlanInStep } from '../../events/index.js';
import type { JobContext, ScheduledRun } from '../../jobs/index.js';
import { applyApprovedEvents, planEventSync, type EventPlanned } from '../../runs/event-run.js';
import { approvalPolicyOf } from '../../schedule/index.js';
import { runIdFor, type IntegrationDocument, type RunDocument, type Stored } from '../../store/index.js';
import { AUTO_APPROVER, SCHEDULE_REQUESTER, type ScheduledOutcome } from '../scheduled-outcome.js';
import type { FlowServices } from '../services.js';
import { eventSummaryOf, type EventRunSummary } from './event-cards.js';

export async function scheduledOutlookSync(s: FlowServices, i: Stored<IntegrationDocument>, run: ScheduledRun, ctx: JobContext): Promise<ScheduledOutcome> {
  const runId = runIdFor(run.trigger.key);
  const earlier = await s.store.runs.get(i.tenantId, i.id, runId);
  if (earlier && earlier.status !== 'applying') return outcomeOf(earlier);
  ctx.signal.throwIfAborted();
  // Planned inside the lease, so applying needs no second read of the plan and the calendar.
  const planned = await planEventSync(s, i);
  let handedToApply = false;
  try {
    ctx.signal.throwIfAborted();
    if (earlier) {
      handedToApply = true;
      return await apply(s, i, earlier, planned, ctx); // resumed mid-apply: the journal skips what was done
    }
    if (eventPlanInStep(planned.plan)) return { kind: 'in-step' };
    const decisions = eventDecisionsIn(planned.plan);
    const auto = approvalPolicyOf(i.scheduling?.approval) === 'auto-when-clean' && decisions === 0;
    const summary: EventRunSummary = {
      kind: 'outlook-events', plan: planned.plan, hash: planned.hash, mailbox: planned.mailbox, timeZone: planned.timeZone,
      ...(auto ? { approvedBy: AUTO_APPROVER } : {}),
    };
    const { run: stored } = await s.store.runs.start(i.tenantId, {
      integrationId: i.id, trigger: { kind: 'schedule', key: run.trigger.key },
      status: auto ? 'applying' : 'awaiting-approval', requestedBy: { ...SCHEDULE_REQUESTER },
    });
    const withSummary = await s.store.runs.update(i.tenantId, i.id, stored.id, () => ({ summary: summary as unknown as Record<string, unknown> }));
    if (!auto) return { kind: 'awaiting-approval', runId: stored.id, decisions };
    handedToApply = true;
    return await apply(s, i, withSummary, planned, ctx);
  } finally {
    if (!handedToApply) planned.calendar.close();
  }
}

function outcomeOf(run: Stored<RunDocument>): ScheduledOutcome {
  if (run.status === 'awaiting-approval' || run.status === 'rejected' || run.status === 'expired') {
    const plan = eventSummaryOf(run)?.plan;
    return { kind: 'awaiting-approval', runId: run.id, decisions: plan ? eventDecisionsIn(plan) : 0 };
  }
  return { kind: 'applied', runId: run.id };
}

/** Applies the fresh plan (nothing in it needs a decision, and no cancel is chosen) under the run's id. */
async function apply(s: FlowServices, i: Stored<IntegrationDocument>, run: Stored<RunDocument>, planned: EventPlanned, ctx: JobContext): Promise<ScheduledOutcome> {
  // What the report lists is what this run applies: a resumed run's plan may differ from the one it stored.
  const fresh = { plan: planned.plan, hash: planned.hash };
  const decisions = eventDecisionsIn(planned.plan);
  if (decisions > 0) {
    planned.calendar.close();
    // Resumed, and the plan changed meanwhile so that it proposes a cancel: send it for approval.
    await s.store.runs.update(i.tenantId, i.id, run.id, (current) => ({
      status: 'awaiting-approval', summary: { ...withoutApprover(current.summary), ...fresh },
    }));
    return { kind: 'awaiting-approval', runId: run.id, decisions };
  }
  await s.store.runs.update(i.tenantId, i.id, run.id, (current) => ({ summary: { ...(current.summary ?? {}), ...fresh, approvedBy: AUTO_APPROVER } }));
  // An empty cancel set: even a cancel that slipped into the plan would stay proposed.
  const result = await applyApprovedEvents(s, i, ctx, { runId: run.id, approvedHash: planned.hash, cancel: new Set(), plannedInLease: planned });
  if (result.kind === 'stale') throw new Error('the plan changed while it was being applied; the next run makes a fresh one');
  return { kind: 'applied', runId: run.id };
}

function withoutApprover(summary: Record<string, unknown> | undefined): Record<string, unknown> {
  const { approvedBy: _approvedBy, ...rest } = summary ?? {};
  return rest;
}
