/**
 * Journey: schedules. "schedule Apollo daily at 09:00 Europe/Berlin" (or the schedule card opened
 * from the integration's settings) sets when an integration syncs on its own, from which date, and
 * what a run does with its preview. Only approvers change these: a schedule with automatic apply
 * writes to both systems (or sends Outlook invitations) without anyone clicking Approve.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduleCardData } from '../cards/card-data.js';
import { renderCard } from '../cards/render.js';
import { parseScheduleText } from '../commands/schedule-spec.js';
import type { ScheduleSpec } from '../commands/intent.js';
import type { IntegrationKey, ScheduleEntry } from '../jobs/index.js';
import {
  APPROVAL_POLICIES, approvalPolicyOf, describeSchedule, formatRunTime, instantOf, isTimed, nextRunAfter, scheduleFromSpec,
  type ApprovalPolicy, type Schedule,
} from '../schedule/index.js';
import type { IntegrationDocument, Stored } from '../store/index.js';
import { isCalendarDate, localDay } from '../time/zone-time.js';
import { text, type ActionReply, type ActionTurn, type CardAction } from './actions.js';
import { approverNames, isApprover } from './action-guard.js';
import { button, notice } from './card-kit.js';
import type { AdaptiveCardJson, ChatTurn } from './chat.js';
import { connectionsCard } from './connections.js';
import { findIntegration } from './find-integration.js';
import { isOutlookIntegration } from './outlook/outlook-integration.js';
import { signsInWithBareToken } from './plan-systems.js';
import type { Automation, FlowServices } from './services.js';

export const APPROVAL_LABELS: Record<ApprovalPolicy, string> = {
  preview: 'Send the preview for approval',
  'auto-when-clean': 'Apply automatically when there are no conflicts, deletions or hierarchy mismatches',
};

/** Outlook runs have one decision: a proposed cancel, which mails every attendee and is never automatic. */
const OUTLOOK_APPROVAL_LABELS: Record<ApprovalPolicy, string> = {
  preview: APPROVAL_LABELS.preview,
  'auto-when-clean': 'Apply automatically when no event would be cancelled',
};

export const approvalLabels = (i: Pick<IntegrationDocument, 'target'>): Record<ApprovalPolicy, string> => (isOutlookIntegration(i) ? OUTLOOK_APPROVAL_LABELS : APPROVAL_LABELS);

const NEXT_RUNS_SHOWN = 3;

const keyOf = (i: IntegrationDocument): IntegrationKey => ({ tenantId: i.tenantId, integrationId: i.id });

function automationOf(s: FlowServices): Automation {
  if (!s.automation) throw new Error('scheduling is not running in this bot instance');
  return s.automation;
}

/** "schedule Apollo daily at 09:00 Europe/Berlin [starting 2025-12-01]" and "schedule Apollo off". */
export async function scheduleFromChat(s: FlowServices, turn: ChatTurn, project: string, spec: ScheduleSpec, startDate?: string): Promise<void> {
  const match = await findIntegration(s, turn.tenantId, project);
  if (match.kind === 'none') {
    await turn.send({ card: notice(`No integration matches "${project}"`, match.all.length > 0 ? `Integrations here: ${match.all.map((i) => i.name).join(', ')}.` : 'Nothing is linked yet.', { tone: 'Warning', details: [`To set one up, type: link project ${project} to ADO project ‹name›`] }) });
    return;
  }
  if (match.kind === 'many') {
    await turn.send({ card: notice(`Which one did you mean by "${project}"?`, 'Several integrations match; open the schedule of the one you meant.', { buttons: match.candidates.slice(0, 5).map((i) => button(turn.tenantId, i.name, 'schedule.show', { integrationId: i.id })) }) });
    return;
  }
  const i = match.integration;
  if (!isApprover(i, turn.user)) {
    await turn.send({ card: notice(`Only approvers can schedule ${i.name}`, `Scheduled runs can apply changes, so only the approvers (${approverNames(i)}) set them. Ask one of them.`, { tone: 'Warning' }) });
    return;
  }
  const zone = await defaultZone(s, i);
  const parsed = scheduleFromSpec(spec, zone);
  if (!parsed.ok) {
    await turn.send({ card: await scheduleCard(s, turn.tenantId, i, true, { problem: parsed.problem }) });
    return;
  }
  const unattended = isTimed(parsed.schedule) ? await unattendedProblem(s, i) : undefined;
  if (unattended) {
    await turn.send({ card: await scheduleCard(s, turn.tenantId, i, true, { problem: unattended }) });
    return;
  }
  const saved = await saveSchedule(s, i, parsed.schedule, startDate, turn.conversationId);
  const headline = parsed.schedule.kind === 'on-demand' ? `${i.name} now syncs only when asked` : `Scheduled: ${i.name}`;
  await turn.send({ card: await scheduleCard(s, turn.tenantId, saved, true, { headline }) });
}

/**
 * Why a timed schedule cannot run unattended, if it cannot: a connection made with a bare access
 * token stops working within about an hour (Project Online, Dataverse and Graph tokens live 60–90
 * minutes and come with no refresh token), so its scheduled runs would fail from the second one on.
 * An Outlook integration checks its Outlook connection too.
 */
async function unattendedProblem(s: FlowServices, i: IntegrationDocument): Promise<string | undefined> {
  const plan = await s.store.connections.get(i.tenantId, i.planConnectionId);
  if (plan && signsInWithBareToken(plan)) {
    if (plan.kind === 'planner') {
      return `"${plan.name}" signs in to Planner premium with a bare access token, which expires within about an hour, so scheduled runs would soon fail. Reconnect it with Microsoft 365 sign-in ("connect planner"), which PlanBridge renews, then schedule again. Syncing on demand still works while the token lasts ("sync ${i.planProjectName ?? 'the project'}").`;
    }
    return `"${plan.name}" signs in to Project Web App with a bare access token, which expires within about an hour, so scheduled runs would soon fail. Reconnect it with Microsoft 365 sign-in (which PlanBridge refreshes) or with Windows or Basic credentials, then schedule again. Syncing on demand still works while the token lasts.`;
  }
  const outlook = isOutlookIntegration(i) && i.outlookConnectionId ? await s.store.connections.get(i.tenantId, i.outlookConnectionId) : undefined;
  if (outlook && signsInWithBareToken(outlook)) {
    return `"${outlook.name}" connects to Outlook with a pasted access token, which expires within about an hour, so scheduled runs would soon fail. Reconnect Outlook with Microsoft 365 sign-in ("connect outlook"), which PlanBridge renews, then schedule again. Syncing on demand still works while the token lasts ("sync project ${i.planProjectName ?? '‹plan›'} to Outlook").`;
  }
  return undefined;
}

/** The plan site's zone, for schedules typed without one. */
async function defaultZone(s: FlowServices, i: IntegrationDocument): Promise<string | undefined> {
  return (await s.store.connections.get(i.tenantId, i.planConnectionId))?.timeZone;
}

/**
 * Stores the schedule (first run at or after the start date, midnight in the schedule's zone) and
 * makes sure the runs have a chat to report to: the one it was set from, when the integration had none.
 */
async function saveSchedule(s: FlowServices, i: Stored<IntegrationDocument>, schedule: Schedule, startDate: string | undefined, conversationId: string): Promise<Stored<IntegrationDocument>> {
  const now = s.now();
  const current = await automationOf(s).book.get(keyOf(i));
  const zone = isTimed(schedule) ? schedule.timeZone : 'UTC';
  // The card always submits the date it showed: the unchanged date keeps the stored start (and whether it was given).
  const unchanged = current && startDate === localDay(Date.parse(current.state.startAt), zone);
  const startAt = startDate && !unchanged ? new Date(instantOf({ ...dateParts(startDate), hour: 0, minute: 0 }, zone)) : current ? new Date(current.state.startAt) : now;
  await automationOf(s).book.set(keyOf(i), schedule, startAt, now);
  const updated = isTimed(schedule) && !i.notifications.conversationId
    ? await s.store.integrations.update(i.tenantId, i.id, (doc) => ({ notifications: { ...doc.notifications, conversationId } }))
    : await s.store.integrations.get(i.tenantId, i.id);
  s.logger.info({ tenant: i.tenantId, integration: i.id, kind: schedule.kind }, 'schedule set');
  return updated ?? i;
}

function dateParts(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

interface CardOptions {
  headline?: string;
  problem?: string;
}

/** The schedule in words, its next runs in its own zone, the approval policy and what can be changed. */
export async function scheduleCard(s: FlowServices, tenantId: string, i: Stored<IntegrationDocument>, canEdit: boolean, options: CardOptions = {}): Promise<AdaptiveCardJson> {
  const entry = await automationOf(s).book.get(keyOf(i));
  const now = s.now();
  const schedule: Schedule = entry?.state.schedule ?? { kind: 'on-demand' };
  const approval = approvalPolicyOf(entry?.state.approval);
  const zone = isTimed(schedule) ? schedule.timeZone : 'UTC';
  const paused = entry?.state.paused === true;
  const ids = { integrationId: i.id };
  const facts = [
    { label: 'Schedule', value: paused ? `${describeSchedule(schedule)}, paused` : describeSchedule(schedule) },
    { label: 'Approval', value: approvalLabels(i)[approval] },
    { label: 'Start date', value: entry ? formatRunTime(new Date(entry.state.startAt), zone, now) : 'Not set' },
    { label: 'Reports go to', value: i.notifications.conversationId ? 'The chat where the integration or schedule was set up' : 'Nowhere yet (set a schedule from a chat)' },
    ...(entry?.state.lastRun ? [{ label: 'Last run', value: `${formatRunTime(new Date(entry.state.lastRun.startedAt), zone, now)}: ${entry.state.lastRun.outcome}` }] : []),
    ...(entry?.streak.failingSince ? [{ label: 'Failing', value: `${entry.streak.failures} run${entry.streak.failures === 1 ? '' : 's'} in a row` }] : []),
  ];
  const buttons = [];
  if (canEdit) {
    buttons.push(button(tenantId, 'Save schedule', 'schedule.save', ids, 'positive'));
    const other: ApprovalPolicy = approval === 'preview' ? 'auto-when-clean' : 'preview';
    buttons.push(button(tenantId, other === 'preview' ? 'Always send the preview' : 'Apply automatically when clean', 'schedule.policy', { ...ids, approval: other }));
    if (isTimed(schedule)) buttons.push(paused ? button(tenantId, 'Resume the schedule', 'schedule.resume', ids) : button(tenantId, 'Pause the schedule', 'schedule.pause', ids, 'destructive'));
  }
  // The settings card describes ADO integrations; an Outlook one offers its preview instead.
  buttons.push(isOutlookIntegration(i) ? button(tenantId, 'Preview now', 'outlook.preview', ids) : button(tenantId, 'Integration settings', 'integration.show', ids));
  const data: ScheduleCardData = {
    title: options.headline ?? `Schedule: ${i.name}`,
    subtitle: canEdit ? 'Scheduled runs post their preview or report, and any failure, in the integration\'s chat.' : `Only the approvers (${approverNames(i)}) can change this.`,
    problem: options.problem ?? '',
    facts,
    nextRunsLabel: `Next runs (${zone})`,
    nextRuns: paused ? [] : nextRuns(entry, now).map((at) => formatRunTime(at, zone, now)),
    canEdit,
    spec: specText(schedule),
    approval,
    approvals: APPROVAL_POLICIES.map((value) => ({ title: approvalLabels(i)[value], value })),
    startDate: localDay(entry ? Date.parse(entry.state.startAt) : now.getTime(), zone),
    buttons,
  };
  return renderCard('schedule', data);
}

function nextRuns(entry: ScheduleEntry | undefined, now: Date): Date[] {
  if (!entry?.state.nextRunAt) return [];
  const out = [new Date(entry.state.nextRunAt)];
  while (out.length < NEXT_RUNS_SHOWN) {
    const next = nextRunAfter(entry.state.schedule, out.at(-1)!);
    if (!next) break;
    out.push(next);
  }
  return out.filter((d) => d.getTime() >= now.getTime() - 60_000);
}

/** The schedule as the card's text box expects it back. */
function specText(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'on-demand': return 'off';
    case 'hourly': return 'hourly';
    case 'daily': return `daily at ${schedule.time} ${schedule.timeZone}`;
    case 'weekly': return `weekly on ${schedule.days.join(',')} at ${schedule.time} ${schedule.timeZone}`;
    case 'monthly': return `monthly on day ${schedule.dayOfMonth} at ${schedule.time} ${schedule.timeZone}`;
  }
}

/** Card verbs (card-actions.ts checks tenant, integration and approver before these run). */
export async function showSchedule(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>): Promise<ActionReply> {
  return { card: await scheduleCard(s, turn.tenantId, i, isApprover(i, turn.user)) };
}

export async function saveScheduleFromCard(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>, action: CardAction): Promise<ActionReply> {
  const reshow = async (problem: string): Promise<ActionReply> => ({ card: await scheduleCard(s, turn.tenantId, i, true, { problem }) });
  const spec = parseScheduleText(text(action.data, 'spec', 200) ?? '');
  if (!spec.ok) return reshow(spec.problem);
  const parsed = scheduleFromSpec(spec.schedule, await defaultZone(s, i));
  if (!parsed.ok) return reshow(parsed.problem);
  const approval = text(action.data, 'approval', 40);
  if (approval !== undefined && !(APPROVAL_POLICIES as readonly string[]).includes(approval)) return reshow('Pick what a scheduled run does with its changes.');
  const startDate = text(action.data, 'startDate', 20);
  if (startDate !== undefined && !isCalendarDate(startDate)) return reshow('Give the start date as YYYY-MM-DD.');
  const unattended = isTimed(parsed.schedule) ? await unattendedProblem(s, i) : undefined;
  if (unattended) return reshow(unattended);
  const saved = await saveSchedule(s, i, parsed.schedule, startDate, turn.conversationId);
  if (approval) await automationOf(s).book.setApproval(keyOf(i), approval as ApprovalPolicy);
  return { card: await scheduleCard(s, turn.tenantId, saved, true, { headline: `Schedule saved: ${i.name}` }) };
}

export async function setApprovalPolicy(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>, action: CardAction): Promise<ActionReply> {
  const approval = text(action.data, 'approval', 40);
  if (!approval || !(APPROVAL_POLICIES as readonly string[]).includes(approval)) return { message: 'That is not an approval policy PlanBridge knows, so nothing was changed.' };
  const book = automationOf(s).book;
  // An integration without a schedule yet keeps the policy for when it gets one.
  if (!(await book.get(keyOf(i)))) await book.set(keyOf(i), { kind: 'on-demand' }, s.now(), s.now());
  await book.setApproval(keyOf(i), approval as ApprovalPolicy);
  s.logger.info({ tenant: i.tenantId, integration: i.id, approval }, 'approval policy set');
  return { card: await scheduleCard(s, turn.tenantId, i, true, { headline: `${approvalLabels(i)[approval as ApprovalPolicy]}: ${i.name}` }) };
}

export async function pauseSchedule(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>, paused: boolean): Promise<ActionReply> {
  const entry = await automationOf(s).book.setPaused(keyOf(i), paused, s.now());
  if (!entry) return { message: `${i.name} has no schedule, so there is nothing to ${paused ? 'pause' : 'resume'}.` };
  s.logger.info({ tenant: i.tenantId, integration: i.id, paused }, paused ? 'schedule paused' : 'schedule resumed');
  return { card: await scheduleCard(s, turn.tenantId, i, true, { headline: paused ? `Schedule paused: ${i.name}` : `Schedule resumed: ${i.name}` }) };
}

/** Retry from a failure card: one run now, reported in the integration's chat like a scheduled one. */
export async function retryNow(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>): Promise<ActionReply> {
  const automation = automationOf(s);
  const syncCommand = isOutlookIntegration(i) ? `sync project ${i.planProjectName ?? i.name} to Outlook` : `sync ${i.planProjectName ?? i.name}`;
  if (!(await automation.book.get(keyOf(i)))) return { message: `${i.name} has no schedule; use "${syncCommand}" to sync it now.` };
  s.background.run(`retry ${i.id}`, async () => {
    const outcome = await automation.runNow(keyOf(i), { kind: 'card', key: `retry:${randomUUID()}`, by: turn.user.aadObjectId ?? turn.user.id });
    if (outcome === 'busy') await turn.send({ card: notice(`${i.name} is already syncing`, 'Another run of this integration is in progress; its result will be posted here.') });
  });
  return { message: `Retrying ${i.name} now; the result will be posted here.` };
}

/** "Fix the connection": the connections card, where a PAT or sign-in is replaced and re-checked. */
export async function fixConnection(s: FlowServices, turn: ActionTurn): Promise<ActionReply> {
  return { card: await connectionsCard(s, turn.tenantId) };
}

/** The schedule line of the integration's settings card. */
export function scheduleSummary(i: IntegrationDocument): string {
  const record = i.scheduling as { schedule?: Schedule; paused?: boolean; approval?: unknown } | undefined;
  if (!record?.schedule) return 'On demand only';
  const words = `${describeSchedule(record.schedule)}${record.paused ? ', paused' : ''}`;
  return isTimed(record.schedule) ? `${words}; ${approvalLabels(i)[approvalPolicyOf(record.approval)].toLowerCase()}` : words;
}
