/**
 * The RunReporter (jobs/reporter.ts) over proactive messages to the integration's chat: the report
 * card after a run that changed something, the preview card when a run needs an approver, a
 * failure card naming the cause (Retry / Fix the connection / Pause the schedule), and one
 * "recovered" message when a failing schedule works again. How often failures are told is decided
 * by jobs/failure-streak.ts; this module only says it. Outlook integrations get their event
 * preview and report cards; the failure and recovered notices are the same.
 */
import type { ClassifiedFailure, FailureNotice, RecoveredNotice, RunReporter, ScheduledRunInfo } from '../jobs/index.js';
import { describeSchedule, formatRunTime, nextRunAfter } from '../schedule/index.js';
import type { IntegrationDocument, RunDocument, Stored } from '../store/index.js';
import { button, notice } from './card-kit.js';
import type { AdaptiveCardJson } from './chat.js';
import { eventPreviewCard, eventReportCard, eventSummaryOf } from './outlook/event-cards.js';
import { isOutlookIntegration } from './outlook/outlook-integration.js';
import type { ScheduledOutcome } from './scheduled-outcome.js';
import type { FlowServices } from './services.js';
import { previewCard } from './sync-cards.js';
import { reportCard } from './sync.js';

export function scheduledRunReporter(s: FlowServices): RunReporter<ScheduledOutcome> {
  /** Posts to the integration's chat; the activity id, or undefined when there is nowhere to post. */
  const post = async (i: IntegrationDocument, card: AdaptiveCardJson): Promise<string | undefined> => {
    const conversationId = i.notifications.conversationId;
    if (!conversationId || !s.automation) {
      s.logger.info({ tenant: i.tenantId, integration: i.id }, 'scheduled run not reported: the integration has no chat to report to');
      return undefined;
    }
    const id = await s.automation.post(i.tenantId, conversationId, { card });
    if (id === undefined) s.logger.warn({ tenant: i.tenantId, integration: i.id }, 'scheduled run not reported: the bot is no longer in that chat');
    return id;
  };
  const integration = (run: ScheduledRunInfo) => s.store.integrations.get(run.tenantId, run.integrationId);

  const success = async (run: ScheduledRunInfo, outcome: ScheduledOutcome | undefined): Promise<void> => {
    const i = await integration(run);
    if (!i || !outcome || outcome.kind === 'gone') return;
    if (outcome.kind === 'in-step') {
      // Nothing changed: quiet unless the integration asked to hear about every success.
      if (i.notifications.onSuccess) await post(i, notice(`${i.name} is in step`, `The scheduled run at ${runTime(run)} found nothing to change.`, { tone: 'Good' }));
      return;
    }
    const stored = await s.store.runs.get(i.tenantId, i.id, outcome.runId);
    if (!stored) return;
    const card = await runCard(i, stored, outcome.kind === 'applied');
    if (!card) return;
    const activityId = await post(i, card);
    // Approving, rejecting or paging later updates this message in place.
    if (activityId && i.notifications.conversationId) {
      await s.store.runs.update(i.tenantId, i.id, stored.id, () => ({ card: { conversationId: i.notifications.conversationId!, activityId } }));
    }
  };

  /** The report of an applied run, or the preview waiting for an approver. */
  const runCard = async (i: Stored<IntegrationDocument>, run: Stored<RunDocument>, applied: boolean): Promise<AdaptiveCardJson | undefined> => {
    if (isOutlookIntegration(i)) {
      const summary = eventSummaryOf(run);
      if (!summary) return undefined;
      return applied ? eventReportCard(i.tenantId, i, run, summary) : eventPreviewCard(i.tenantId, i, run, summary);
    }
    return applied
      ? reportCard(s, i.tenantId, i, run)
      : previewCard({ tenantId: i.tenantId, integration: i, run, plan: run.plan!, canDecide: false, page: 0, showRequester: true });
  };

  return {
    reportSuccess: success,

    async reportFailure(run, failure, streak) {
      const i = await integration(run);
      if (i) await post(i, failureCard(i, run, failure, streak, s.now()));
    },

    async reportRecovered(run, streak, outcome) {
      const i = await integration(run);
      if (!i) return;
      await post(i, notice(`Scheduled sync works again: ${i.name}`, `After ${streak.failures} failed run${streak.failures === 1 ? '' : 's'} since ${formatRunTime(new Date(streak.failingSince), zoneOf(run), s.now())}, the run at ${runTime(run)} succeeded.`, {
        tone: 'Good', details: [recoveredDetail(outcome)],
      }));
      await success(run, outcome);
    },
  };
}

function recoveredDetail(outcome: ScheduledOutcome | undefined): string {
  switch (outcome?.kind) {
    case 'applied': return 'What it changed is in the report below.';
    case 'awaiting-approval': return 'Its preview is below and waits for an approver.';
    default: return 'Both sides were already in step.';
  }
}

const zoneOf = (run: ScheduledRunInfo): string => (run.schedule.kind === 'on-demand' ? 'UTC' : run.schedule.timeZone);
const runTime = (run: ScheduledRunInfo): string => formatRunTime(new Date(run.startedAt), zoneOf(run), new Date(run.finishedAt));

/** The failure card: the cause in plain words, what to do, and the three buttons. */
export function failureCard(i: Stored<IntegrationDocument>, run: ScheduledRunInfo, failure: ClassifiedFailure, streak: FailureNotice, now: Date): AdaptiveCardJson {
  const ids = { integrationId: i.id };
  const next = nextRunAfter(run.schedule, now);
  const details = [
    ...(failure.detail ? [failure.detail] : []),
    ...(failure.checkedOutBy ? [`Checked out by: ${failure.checkedOutBy}. Ask them to check it in (or publish and close it), then retry.`] : []),
    ADVICE[failure.cause],
    streak.kind === 'failure-reminder'
      ? `Still failing: ${streak.failures} runs since ${formatRunTime(new Date(streak.failingSince), zoneOf(run), now)}.`
      : `Run at ${runTime(run)}, schedule: ${describeSchedule(run.schedule)}.`,
    ...(next ? [`Next try: ${formatRunTime(next, zoneOf(run), now)}. You will hear again at most once a day while it keeps failing, and once when it works again.`] : []),
  ];
  return notice(`Scheduled sync failed: ${i.name}`, failure.headline, {
    tone: 'Attention',
    details,
    buttons: [
      button(i.tenantId, 'Retry', 'schedule.retry', ids, 'positive'),
      button(i.tenantId, 'Fix the connection', 'schedule.fix', ids),
      button(i.tenantId, 'Pause the schedule', 'schedule.pause', ids, 'destructive'),
    ],
  });
}

const ADVICE: Record<ClassifiedFailure['cause'], string> = {
  'pat-expired': 'Create a new PAT in Azure DevOps and replace it with "Fix the connection".',
  'ado-sign-in': 'Connect with a Microsoft Entra service principal the organization accepts (or replace its secret) with "Fix the connection".',
  'missing-scope': 'Create a PAT with the scopes PlanBridge lists under "Fix the connection" and replace it there.',
  'ado-throttled': 'Nothing to fix: the next run tries again. Retry later if it cannot wait.',
  'plan-checked-out': 'PlanBridge never forces a check-in over someone else\'s edits.',
  // PWA or Planner premium: a refused sign-in, or (Planner premium) an account without a Project licence.
  'plan-sign-in': 'Sign in to the plan system again, or give the account the licence it needs, then replace the credential with "Fix the connection".',
  'outlook-access': 'Reconnect Outlook with Microsoft 365 sign-in ("connect outlook"), or grant the permission named above, then Retry.',
  'outlook-throttled': 'Nothing to fix: the next run tries again, and what was written is not written twice. Retry later if it cannot wait.',
  network: 'Usually temporary: the next run tries again, or press Retry.',
  other: 'The details are in the PlanBridge logs; Retry, or preview a sync to see more.',
};
