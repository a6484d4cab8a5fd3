/**
 * The preview and report cards of an Outlook events run, from the event plan and the apply
 * results kept in the run's summary.
 */
import { renderCard } from '../../cards/render.js';
import type { EventOp, EventPlan } from '../../events/index.js';
import type { EventDraft } from '../../connectors/outlook/index.js';
import type { IntegrationDocument, RunDocument } from '../../store/index.js';
import { localDay } from '../../time/zone-time.js';
import { button } from '../card-kit.js';
import type { AdaptiveCardJson } from '../chat.js';

/** What an Outlook run keeps in its summary (RunDocument.summary). */
export interface EventRunSummary {
  kind: 'outlook-events';
  plan: EventPlan;
  hash: string;
  mailbox: string;
  timeZone: string;
  approvedBy?: string;
  durationMs?: number;
  eventResults?: Array<{ opId: string; kind: EventOp['kind']; status: string; name: string; webLink?: string; reason?: string }>;
}

export const eventSummaryOf = (run: RunDocument): EventRunSummary | undefined =>
  (run.summary as { kind?: string } | undefined)?.kind === 'outlook-events' ? run.summary as unknown as EventRunSummary : undefined;

/** At most this many lines per section, so the card stays under Teams' size limit. */
const SHOWN = 25;

const dayBefore = (date: string): string => {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

/** "2026-03-02 to 2026-03-05, all day" or "2026-03-02 09:00 to 12:00". */
export function whenText(d: Pick<EventDraft, 'start' | 'end' | 'isAllDay'>): string {
  if (d.isAllDay) {
    const last = dayBefore(d.end);
    return last === d.start.slice(0, 10) ? `${last}, all day` : `${d.start.slice(0, 10)} to ${last}, all day`;
  }
  const [sd, st] = [d.start.slice(0, 10), d.start.slice(11, 16)];
  const [ed, et] = [d.end.slice(0, 10), d.end.slice(11, 16)];
  return sd === ed ? `${sd} ${st} to ${et}` : `${sd} ${st} to ${ed} ${et}`;
}

const who = (d: EventDraft): string => (d.attendees.length > 0 ? d.attendees.map((a) => a.name || a.address).join(', ') : 'no attendees');

const UNMATCHED: Record<string, string> = {
  none: 'no directory user has this e-mail or name', ambiguous: 'several directory users have this name',
  'no-mailbox': 'the directory user has no mailbox', 'not-looked-up': 'not looked up',
};

/** The cancel ops in card order: toggle `cancel_<n>` is the n-th. */
export const cancelsOf = (plan: EventPlan) => plan.ops.filter((op): op is Extract<EventOp, { kind: 'cancel' }> => op.kind === 'cancel');

/** Why some flagged tasks are not in the preview: the synchronization start date (events/changes-since.ts). */
export function leftOutNote(plan: EventPlan, timeZone: string): string {
  if (!plan.leftOut || plan.leftOut.tasks === 0) return '';
  const n = plan.leftOut.tasks;
  return `${n} flagged ${n === 1 ? 'task' : 'tasks'} unchanged since ${localDay(Date.parse(plan.leftOut.since), timeZone)} ${n === 1 ? 'was' : 'were'} left out: that is the synchronization start date. Edit one, or set an earlier start date, to bring it over.`;
}

export function eventPreviewCard(tenantId: string, i: IntegrationDocument & { id: string }, run: RunDocument & { id: string }, summary: EventRunSummary): AdaptiveCardJson {
  const { plan } = summary;
  const lines = <K extends EventOp['kind']>(kind: K, line: (op: Extract<EventOp, { kind: K }>) => string): string[] =>
    plan.ops.filter((op): op is Extract<EventOp, { kind: K }> => op.kind === kind).map(line);
  const creates = lines('create', (op) => `${op.taskName}: ${whenText(op.draft)}; ${who(op.draft)}${op.again ? ` (again: the earlier event was ${op.again === 'cancelled' ? 'cancelled' : 'deleted in Outlook'})` : ''}`);
  const updates = lines('update', (op) => `${op.taskName}: ${op.changed.join(', ')} (now ${whenText(op.draft)}; ${who(op.draft)})`);
  const cancels = cancelsOf(plan).map((op, n) => ({
    inputId: `cancel_${n}`, title: `${op.subject} (${op.reason === 'flag-cleared' ? 'the task is no longer flagged "Create event"' : 'the task was deleted from the plan'})`,
  }));
  const unmatched = plan.unmatchedPeople.map((p) => `${p.name}${p.email ? ` (${p.email})` : ''}: ${UNMATCHED[p.reason] ?? p.reason}; not invited`);
  const skipped = lines('skipped', (op) => op.reason);
  const hidden = [creates, updates, unmatched, skipped].reduce((n, l) => n + Math.max(0, l.length - SHOWN), 0) + Math.max(0, cancels.length - SHOWN);
  const requester = run.requestedBy?.name ? ` Requested by ${run.requestedBy.name}.` : '';
  const leftOut = leftOutNote(plan, summary.timeZone);
  return renderCard('outlook-preview', {
    title: `Preview: ${i.name}`,
    subtitle: `Events in ${summary.mailbox}'s calendar, times in ${summary.timeZone}. Only approvers can approve; cancels happen only for the events you switch on.${requester}${leftOut ? ` ${leftOut}` : ''}`,
    facts: [
      { label: 'Create', value: String(plan.counts.create) }, { label: 'Update', value: String(plan.counts.update) },
      { label: 'Cancel (proposed)', value: String(plan.counts.cancel) }, { label: 'Skipped', value: String(plan.counts.skipped) },
    ],
    creates: creates.slice(0, SHOWN), updates: updates.slice(0, SHOWN), cancels: cancels.slice(0, SHOWN),
    unmatched: unmatched.slice(0, SHOWN), skipped: skipped.slice(0, SHOWN),
    more: hidden > 0 ? `…and ${hidden} more not shown here; all of them are applied as previewed.` : '',
    buttons: [
      button(tenantId, 'Approve', 'outlook.approve', { integrationId: i.id, runId: run.id, hash: summary.hash }, 'positive'),
      button(tenantId, 'Reject', 'outlook.reject', { integrationId: i.id, runId: run.id }, 'destructive'),
    ],
  });
}

const VERB: Record<string, string> = { create: 'Created', update: 'Updated', cancel: 'Cancelled', link: 'Found again (no invitation sent)', forget: 'Forgotten', skipped: 'Skipped' };

export function eventReportCard(tenantId: string, i: IntegrationDocument & { id: string }, run: RunDocument, summary: EventRunSummary): AdaptiveCardJson {
  const results = summary.eventResults ?? [];
  const written = results.filter((r) => r.status === 'done' && r.kind !== 'forget');
  const notDone = results.filter((r) => r.status !== 'done' && r.kind !== 'skipped');
  const tone = run.status === 'succeeded' ? 'Good' : run.status === 'partially-succeeded' ? 'Warning' : 'Attention';
  return renderCard('outlook-report', {
    title: run.status === 'succeeded' ? `Synced: ${i.name}` : run.status === 'partially-succeeded' ? `Synced with exceptions: ${i.name}` : `Sync failed: ${i.name}`,
    tone, subtitle: `Applied exactly the approved preview to ${summary.mailbox}'s calendar.`,
    facts: [
      { label: 'Approved by', value: summary.approvedBy ?? run.approvals.at(-1)?.by ?? 'unknown' },
      { label: 'Events written', value: String(written.length) },
      { label: 'Not done', value: String(notDone.length) },
      { label: 'Time taken', value: `${((summary.durationMs ?? 0) / 1000).toFixed(1)} s` },
    ],
    events: written.slice(0, SHOWN).map((r) => ({ text: `${VERB[r.kind] ?? r.kind}: ${r.name}`, url: r.webLink ?? '' })),
    notDone: notDone.slice(0, SHOWN).map((r) => `${r.name}: ${r.reason ?? r.status}`),
    more: written.length > SHOWN ? `…and ${written.length - SHOWN} more events (history keeps the full list).` : '',
    buttons: [button(tenantId, 'Preview again', 'outlook.preview', { integrationId: i.id })],
  });
}
