/**
 * Journey: "sync project Apollo to Outlook". A progress card turns into the preview of events to
 * create, update and cancel (cancels are choices, off by default); an approver approves; the
 * approved plan is applied in the background under the integration's lease, exactly once, and the
 * same card becomes the report, linking each event.
 */
import { randomUUID } from 'node:crypto';
import type { IntegrationDocument, RunDocument, Stored } from '../../store/index.js';
import { eventPlanInStep } from '../../events/index.js';
import { applyApprovedEvents, planEventSync } from '../../runs/event-run.js';
import { text, type ActionReply, type ActionTurn, type CardAction } from '../actions.js';
import { runRefusal } from '../action-guard.js';
import { button, errorMessage, notice } from '../card-kit.js';
import type { AdaptiveCardJson, ChatTurn } from '../chat.js';
import { findIntegration } from '../find-integration.js';
import type { FlowServices } from '../services.js';
import { progressCard } from '../sync-cards.js';
import { alreadyMessage, decideRun, whoIs } from '../run-decisions.js';
import { cancelsOf, eventPreviewCard, eventReportCard, eventSummaryOf, leftOutNote, type EventRunSummary } from './event-cards.js';
import { isOutlookIntegration } from './outlook-integration.js';

export async function startOutlookSync(s: FlowServices, turn: ChatTurn, project: string): Promise<void> {
  const match = await findIntegration(s, turn.tenantId, project);
  const found = match.kind === 'one' ? [match.integration] : match.kind === 'many' ? match.candidates : [];
  const outlook = found.filter(isOutlookIntegration);
  if (outlook.length !== 1) {
    await turn.send({
      card: outlook.length === 0
        ? notice(`"${project}" is not linked to Outlook`, 'No Outlook integration matches that name.', { tone: 'Warning', details: [`To set one up, type: link project ${project} to Outlook`] })
        : notice(`Which one did you mean by "${project}"?`, 'Several Outlook integrations match.', {
          buttons: outlook.slice(0, 5).map((i) => button(turn.tenantId, i.name, 'outlook.preview', { integrationId: i.id })),
        }),
    });
    return;
  }
  const i = outlook[0]!;
  const refusal = await runRefusal(s, turn, i);
  if (refusal) {
    await turn.send({ card: notice(`You cannot preview ${i.name}`, refusal, { tone: 'Warning' }) });
    return;
  }
  await runOutlookPreview(s, turn, i);
}

const STEPS = ['Read the flagged tasks', 'Match the people assigned in the directory', 'Find the events PlanBridge made and build the preview'];

/** Sends a progress card, reads, plans, and turns the card into the preview. */
export async function runOutlookPreview(s: FlowServices, turn: ChatTurn, i: Stored<IntegrationDocument>): Promise<void> {
  const title = `Preparing a preview: ${i.name}`;
  const activityId = await turn.send({ card: progressCard(title, 'Project tasks to Outlook events', STEPS.map((label, n) => ({ label, state: n === 0 ? 'active' : 'todo' }))) });
  const show = async (card: AdaptiveCardJson) => (activityId ? turn.update(activityId, { card }) : void (await turn.send({ card })));
  let planned;
  try {
    planned = await planEventSync(s, i);
    planned.calendar.close();
  } catch (err) {
    s.logger.warn({ tenant: i.tenantId, integration: i.id, err: err instanceof Error ? err.name : 'unknown' }, 'event preview failed');
    await show(notice(`Could not prepare the preview of ${i.name}`, errorMessage(err), { tone: 'Attention', buttons: [button(turn.tenantId, 'Try again', 'outlook.preview', { integrationId: i.id }), button(turn.tenantId, 'Manage connections', 'conn.list')] }));
    return;
  }
  const { plan } = planned;
  if (eventPlanInStep(plan)) {
    const skipped = plan.ops.map((op) => (op.kind === 'skipped' ? op.reason : ''));
    const leftOut = leftOutNote(plan, planned.timeZone);
    await show(notice(`${i.name} is in step`, 'Every flagged task already has its event as the plan says; there is nothing to preview or apply.', { tone: 'Good', details: [...(leftOut ? [leftOut] : []), ...skipped.slice(0, 10)] }));
    return;
  }
  const summary: EventRunSummary = { kind: 'outlook-events', plan, hash: planned.hash, mailbox: planned.mailbox, timeZone: planned.timeZone };
  const { run } = await s.store.runs.start(turn.tenantId, {
    integrationId: i.id, trigger: { kind: 'chat', key: `outlook-preview:${randomUUID()}`, by: turn.user.aadObjectId ?? turn.user.id },
    status: 'awaiting-approval',
    requestedBy: { id: turn.user.id, ...(turn.user.name ? { name: turn.user.name } : {}), ...(turn.user.aadObjectId ? { aadObjectId: turn.user.aadObjectId } : {}) },
    card: { conversationId: turn.conversationId, ...(activityId ? { activityId } : {}) },
  });
  const saved = await s.store.runs.update(turn.tenantId, i.id, run.id, () => ({ summary: summary as unknown as Record<string, unknown> }));
  await show(eventPreviewCard(turn.tenantId, i, saved, summary));
}

/** "Preview now", "Preview again", "Try again": the preview arrives as a new message. */
export async function outlookPreviewFromCard(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>): Promise<ActionReply> {
  if (!isOutlookIntegration(i)) return { message: `${i.name} is not an Outlook integration; type "sync ${i.planProjectName ?? i.name}".` };
  s.background.run(`outlook preview ${i.id}`, () => runOutlookPreview(s, turn, i));
  return { message: `Preparing a fresh preview of ${i.name}...` };
}

export async function approveEvents(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>, run: Stored<RunDocument>, action: CardAction): Promise<ActionReply> {
  const summary = eventSummaryOf(run);
  if (!summary) return { message: 'This run has no Outlook preview to approve; make a fresh one.' };
  if (run.status !== 'awaiting-approval') return { message: alreadyMessage(run) };
  if (text(action.data, 'hash', 128) !== summary.hash) return { message: 'This approval is for a different version of the preview, so nothing was applied. Make a fresh preview and approve that one.' };
  // Toggles are read by position; only "true" cancels, so a missing or forged value never cancels.
  const cancel = new Set(cancelsOf(summary.plan).filter((_op, n) => text(action.data, `cancel_${n}`, 10) === 'true').map((op) => op.id));
  const decision = await decideRun(s, turn, i, run, 'approved', (current) => ({
    choices: { deletions: Object.fromEntries([...cancel].map((id) => [id, 'cancel'])) },
    summary: { ...(current.summary ?? {}), approvedBy: whoIs(turn) },
  }));
  if (!('decided' in decision)) return decision;
  const claimed = decision.decided;
  const activityId = run.card?.activityId ?? turn.cardActivityId;
  s.background.run(`apply events ${run.id}`, () => applyUnderLease(s, turn, i, claimed, cancel, activityId));
  return { card: progressCard(`Applying: ${i.name}`, `Approved by ${turn.user.name ?? 'an approver'}`, [{ label: 'Check the preview is still current', state: 'active' }, { label: 'Write the events', state: 'todo' }, { label: 'Report', state: 'todo' }]) };
}

/** Under the integration's lease, like ADO runs, so a chat approval and a scheduled run never overlap. */
async function applyUnderLease(s: FlowServices, turn: ChatTurn, i: Stored<IntegrationDocument>, run: Stored<RunDocument>, cancel: ReadonlySet<string>, activityId: string | undefined): Promise<void> {
  const show = async (card: AdaptiveCardJson) => (activityId ? turn.update(activityId, { card }) : void (await turn.send({ card })));
  const summary = eventSummaryOf(run)!;
  const result = await s.runner.run({ tenantId: i.tenantId, integrationId: i.id }, { kind: 'card', key: `approval:${run.id}`, by: turn.user.aadObjectId ?? turn.user.id }, async (lease) => {
    await s.store.runs.update(i.tenantId, i.id, run.id, () => ({ status: 'applying' }));
    return applyApprovedEvents(s, i, lease, { runId: run.id, approvedHash: summary.hash, cancel });
  });
  const fresh = () => button(turn.tenantId, 'Fresh preview', 'outlook.preview', { integrationId: i.id }, 'positive');
  if (result.status === 'busy') {
    await s.store.runs.update(i.tenantId, i.id, run.id, () => ({ status: 'expired' }));
    await show(notice(`Nothing was written for ${i.name}`, 'Another run of this integration is going on now. Make a fresh preview once it has finished.', { tone: 'Warning', buttons: [fresh()] }));
  } else if (result.status === 'failed' || result.status === 'abandoned') {
    const problem = result.status === 'failed' ? errorMessage(result.error) : result.reason;
    await s.store.runs.update(i.tenantId, i.id, run.id, () => ({ status: 'failed', outcome: { finishedAt: s.now().toISOString(), applied: 0, failed: summary.plan.ops.length, errors: [{ itemKey: '-', message: problem }] } }));
    await show(notice(`Writing the events of ${i.name} stopped`, `${problem} What was written is recorded; approving a fresh preview continues without a second invitation.`, { tone: 'Attention', buttons: [fresh()] }));
  } else if (result.value.kind === 'stale') {
    await s.store.runs.update(i.tenantId, i.id, run.id, () => ({ status: 'expired' }));
    await show(notice('This preview is out of date', 'The plan or the calendar changed since the preview was made, so nothing was written. Look at a fresh preview and approve that one.', { tone: 'Warning', buttons: [fresh()] }));
  } else {
    await show(eventReportCard(turn.tenantId, i, result.value.run, eventSummaryOf(result.value.run)!));
  }
}

export async function rejectEvents(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>, run: Stored<RunDocument>): Promise<ActionReply> {
  const decision = await decideRun(s, turn, i, run, 'rejected');
  if (!('decided' in decision)) return decision;
  const card = notice('Preview rejected', `${turn.user.name ?? 'An approver'} rejected this preview. No event was written.`, { buttons: [button(turn.tenantId, 'Fresh preview', 'outlook.preview', { integrationId: i.id })] });
  const activityId = run.card?.activityId ?? turn.cardActivityId;
  if (activityId) await turn.update(activityId, { card });
  return { card };
}
