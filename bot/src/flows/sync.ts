/**
 * Journey: sync. "sync Apollo" finds the integration, reads both sides with a progress card that
 * is updated in place, and turns that card into the preview. Approval (approvers only, bound to
 * the plan hash, once) re-checks that the plan still holds, then applies exactly the approved
 * plan in the background, updating the same card with progress and finally the report.
 */
import { randomUUID } from 'node:crypto';
import { needsPeopleMatch } from '../sync/mapping/labels.js';
import { renderCard } from '../cards/render.js';
import type { SyncDirection as AskedDirection } from '../commands/intent.js';
import { type IntegrationDocument, type RunDocument, type Stored, type SyncDirection } from '../store/index.js';
import { applyApproved, planSync } from '../runs/sync-run.js';
import { approvePlan, type ApprovedPlan, type PlanChoices } from '../sync/approve.js';
import { isNoop, type Choice, type DeletionChoice, type SyncPlan } from '../sync/plan.js';
import { text, type ActionReply, type ActionTurn, type CardAction } from './actions.js';
import { isApprover, runRefusal } from './action-guard.js';
import { button, errorMessage, notice } from './card-kit.js';
import type { AdaptiveCardJson, ChatTurn } from './chat.js';
import { findIntegration, type IntegrationMatch } from './find-integration.js';
import { DIRECTION_LABELS } from './integration-model.js';
import { alreadyMessage, decideRun, whoIs } from './run-decisions.js';
import type { FlowServices } from './services.js';
import { MAX_DECISIONS, previewCard, progressCard, summarize, type RunSummary } from './sync-cards.js';
import { systemName } from './plan-systems.js';
import { isOutlookIntegration } from './outlook/outlook-integration.js';
import { runOutlookPreview } from './outlook/sync-outlook.js';

const ASKED: Record<AskedDirection, SyncDirection> = { 'to-ado': 'plan-to-ado', 'to-plan': 'ado-to-plan', both: 'two-way' };

export async function startSync(s: FlowServices, turn: ChatTurn, project: string, direction?: AskedDirection, previewOnly = false): Promise<void> {
  const match = adoOnly(await findIntegration(s, turn.tenantId, project), direction);
  if (match.kind === 'none') {
    await turn.send({
      card: notice(`No integration matches "${project}"`, match.all.length > 0 ? `Integrations here: ${match.all.map((i) => i.name).join(', ')}.` : 'Nothing is linked yet.', {
        tone: 'Warning', details: [`To set one up, type: link project ${project} to ADO project <name>`],
      }),
    });
    return;
  }
  if (match.kind === 'many') {
    await turn.send({
      card: notice(`Which one did you mean by "${project}"?`, 'Several integrations match.', {
        buttons: match.candidates.slice(0, 5).map((i) => button(turn.tenantId, i.name, 'sync.preview', { integrationId: i.id, ...(direction ? { direction: ASKED[direction] } : {}) })),
      }),
    });
    return;
  }
  // Chat has no action guard; it asks the guard's own rule, so chat and cards agree.
  const refusal = await runRefusal(s, turn, match.integration);
  if (refusal) {
    await turn.send({ card: notice(`You cannot preview ${match.integration.name}`, refusal, { tone: 'Warning' }) });
    return;
  }
  await runPreview(s, turn, match.integration, direction ? ASKED[direction] : undefined, previewOnly);
}


/** "sync Apollo to ADO" (a direction names ADO) never means the Outlook integration of Apollo. */
function adoOnly(match: IntegrationMatch, direction?: AskedDirection): IntegrationMatch {
  if (!direction || match.kind === 'none') return match;
  const ado = (match.kind === 'one' ? [match.integration] : match.candidates).filter((i) => !isOutlookIntegration(i));
  if (ado.length === 1) return { kind: 'one', integration: ado[0]! };
  return ado.length === 0 ? { kind: 'none', all: [] } : { kind: 'many', candidates: ado };
}

const STEPS = (i: IntegrationDocument, planSystem: string) => [`Read ${i.planProjectName ?? 'the plan'} from ${planSystem}`, `Read ${i.adoProjects.join(', ')} from Azure DevOps`, 'Compare and build the preview'];

/** Sends a progress card, reads, plans, and replaces the card with the preview. */
export async function runPreview(s: FlowServices, turn: ChatTurn, i: Stored<IntegrationDocument>, direction?: SyncDirection, previewOnly = false): Promise<void> {
  // "sync Apollo" (or a button) that names an Outlook integration gets the events preview.
  if (isOutlookIntegration(i)) return runOutlookPreview(s, turn, i);
  const dir = direction ?? i.direction;
  const title = `Preparing a preview: ${i.name}`;
  const subtitle = DIRECTION_LABELS[dir];
  const planSystem = systemName((await s.store.connections.get(i.tenantId, i.planConnectionId))?.kind ?? 'pwa');
  const progress = (done: number) => progressCard(title, subtitle, STEPS(i, planSystem).map((label, n) => ({ label, state: n < done ? 'done' : n === done ? 'active' : 'todo' })));
  const activityId = await turn.send({ card: progress(0) });
  const show = async (card: AdaptiveCardJson) => (activityId ? turn.update(activityId, { card }) : void (await turn.send({ card })));
  let result;
  try {
    result = await planSync(s, i, direction, (n) => show(progress(n)));
  } catch (err) {
    s.logger.warn({ tenant: i.tenantId, integration: i.id, err: err instanceof Error ? err.name : 'unknown' }, 'preview failed');
    await show(notice(`Could not prepare the preview of ${i.name}`, errorMessage(err), { tone: 'Attention', buttons: [button(turn.tenantId, 'Try again', 'sync.preview', { integrationId: i.id }), button(turn.tenantId, 'Manage connections', 'conn.list')] }));
    return;
  }
  const { syncPlan, planItems, adoItems } = result;
  if (isNoop(syncPlan)) {
    await show(notice(`${i.name} is in step`, 'Both sides already agree; there is nothing to preview or apply.', {
      tone: 'Good', details: syncPlan.warnings.slice(0, 5),
      ...(syncPlan.warnings.some(needsPeopleMatch) ? { buttons: [button(turn.tenantId, 'Match people', 'people.show', { integrationId: i.id })] } : {}),
    }));
    return;
  }
  const summary = summarize(syncPlan, planItems, adoItems, dir, s.now());
  const { run } = await s.store.runs.start(turn.tenantId, {
    integrationId: i.id,
    trigger: { kind: 'chat', key: `preview:${randomUUID()}`, by: turn.user.aadObjectId ?? turn.user.id },
    status: 'awaiting-approval', plan: syncPlan,
    requestedBy: { id: turn.user.id, ...(turn.user.name ? { name: turn.user.name } : {}), ...(turn.user.aadObjectId ? { aadObjectId: turn.user.aadObjectId } : {}) },
    card: { conversationId: turn.conversationId, ...(activityId ? { activityId } : {}) },
  });
  const saved = await s.store.runs.update(turn.tenantId, i.id, run.id, () => ({ summary: { ...(summary as unknown as Record<string, unknown>), ...(previewOnly ? { previewOnly: true } : {}) } }));
  // The message everyone sees: decisions only in a personal chat with an approver; elsewhere
  // approvers get their view through the card's refresh.
  const personalApprover = turn.conversationKind === 'personal' && isApprover(i, turn.user);
  await show(previewCard({ tenantId: turn.tenantId, integration: i, run: saved, plan: syncPlan, canDecide: personalApprover, page: 0, showRequester: turn.conversationKind !== 'personal' }));
}

/** A preview page or per-user view (refresh); read-only for everyone but approvers. */
export async function viewPreview(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>, run: Stored<RunDocument>, action: CardAction): Promise<ActionReply> {
  if (run.status !== 'awaiting-approval') return { card: await runStateCard(s, turn.tenantId, i, run) };
  const page = Number(text(action.data, 'page', 6) ?? '0');
  return {
    card: previewCard({
      tenantId: turn.tenantId, integration: i, run, plan: run.plan!, canDecide: isApprover(i, turn.user),
      page: Number.isInteger(page) && page >= 0 ? page : 0, showRequester: turn.conversationKind !== 'personal',
    }),
  };
}

/** What a preview card turns into once its run moved on (approved, applied, rejected, stale). */
async function runStateCard(s: FlowServices, tenantId: string, i: IntegrationDocument, run: RunDocument): Promise<AdaptiveCardJson> {
  const summary = run.summary as unknown as RunSummary | undefined;
  if (run.status === 'succeeded' || run.status === 'partially-succeeded' || run.status === 'failed') return reportCard(s, tenantId, i, run);
  if (run.status === 'rejected') return notice('Preview rejected', `${run.approvals.at(-1)?.by ?? 'An approver'} rejected this preview. Nothing was changed.`, { buttons: [button(tenantId, 'Fresh preview', 'sync.preview', { integrationId: i.id })] });
  if (run.status === 'expired') return staleCard(tenantId, i);
  return progressCard(`Applying: ${i.name}`, `Approved by ${summary?.approvedBy ?? run.approvals.at(-1)?.by ?? 'an approver'}`, [{ label: 'Apply the approved changes', state: 'active' }, { label: 'Report', state: 'todo' }]);
}

function readChoices(plan: SyncPlan, data: Record<string, unknown>): PlanChoices {
  const pick = <T extends string>(prefix: string, ids: string[], allowed: readonly T[]): Record<string, T> => {
    const out: Record<string, T> = {};
    ids.slice(0, MAX_DECISIONS).forEach((id, n) => {
      const v = text(data, `${prefix}_${n}`, 20);
      if (v && (allowed as readonly string[]).includes(v)) out[id] = v as T;
    });
    return out;
  };
  return {
    conflicts: pick<Choice>('c', plan.conflicts.map((c) => c.id), ['plan', 'ado', 'skip']),
    hierarchy: pick<Choice>('h', plan.hierarchy.map((h) => h.id), ['plan', 'ado', 'skip']),
    deletions: pick<DeletionChoice>('d', plan.deletions.map((d) => d.id), ['keep', 'unlink', 'propagate']),
    // "Link existing": only pairs shown on the card get a choice; the rest wait (approve.ts).
    matches: pick<NonNullable<PlanChoices['matches']>[string]>('m', (plan.matches ?? []).map((m) => m.id), ['link', 'apart', 'skip']),
  };
}

export async function approve(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>, run: Stored<RunDocument>, action: CardAction): Promise<ActionReply> {
  if (run.status !== 'awaiting-approval') return { message: alreadyMessage(run) };
  if ((run.summary as unknown as RunSummary | undefined)?.previewOnly) return { message: `That was a preview only, so nothing was applied. To sync, type "sync ${i.planProjectName ?? i.name}" and approve that preview.` };
  const syncPlan = run.plan;
  if (!syncPlan) return { message: 'This run has no preview to approve; make a fresh one.' };
  const choices = readChoices(syncPlan, action.data);
  const approval = approvePlan(syncPlan, text(action.data, 'hash', 128)!, choices);
  if (!approval.ok) return { message: `Nothing was applied: ${approval.problem}` };

  // Claim the run first: of two clicks (or two approvers) exactly one moves it on.
  const decision = await decideRun(s, turn, i, run, 'approved', (current) => ({
    choices: choices as RunDocument['choices'], summary: { ...(current.summary ?? {}), approvedBy: whoIs(turn) },
  }));
  if (!('decided' in decision)) return decision;
  const claimed = decision.decided;
  s.logger.info({ tenant: turn.tenantId, integration: i.id, run: run.id, operations: approval.plan.operations.length }, 'preview approved');
  const activityId = run.card?.activityId ?? turn.cardActivityId;
  const total = approval.plan.operations.length;
  const applying = (done: number) => progressCard(`Applying: ${i.name}`, `Approved by ${whoIs(turn)}`, [
    { label: 'Check the preview is still current', state: 'done' },
    { label: `Apply ${total} change${total === 1 ? '' : 's'} (${done} of ${total} done)`, state: 'active' }, { label: 'Report', state: 'todo' },
  ]);
  const checking = progressCard(`Applying: ${i.name}`, `Approved by ${whoIs(turn)}`, [
    { label: 'Check the preview is still current', state: 'active' }, { label: `Apply ${total} change${total === 1 ? '' : 's'}`, state: 'todo' }, { label: 'Report', state: 'todo' },
  ]);
  // Reading both sides again can take longer than Teams waits for an invoke: answer now, go on in the background.
  s.background.run(`apply ${run.id}`, () => applyUnderLease(s, turn, i, claimed, approval.plan, activityId, applying));
  return { card: checking };
}

/**
 * Applying holds the integration's lease (jobs/runner.ts), like scheduled runs, so a chat approval
 * and a scheduled run never write to the same integration at once, on any instance.
 */
async function applyUnderLease(
  s: FlowServices, turn: ChatTurn, i: Stored<IntegrationDocument>, run: Stored<RunDocument>,
  approved: ApprovedPlan, activityId: string | undefined, applying: (done: number) => AdaptiveCardJson,
): Promise<void> {
  const show = async (card: AdaptiveCardJson) => (activityId ? turn.update(activityId, { card }) : void (await turn.send({ card })));
  const summary = run.summary as unknown as RunSummary;
  let done = 0;
  let shown = 0;
  let updating: Promise<void> = Promise.resolve();
  const step = Math.max(1, Math.ceil(approved.operations.length / 10));
  const result = await s.runner.run({ tenantId: i.tenantId, integrationId: i.id }, { kind: 'card', key: `approval:${run.id}`, by: turn.user.aadObjectId ?? turn.user.id }, async (lease) => {
    await s.store.runs.update(i.tenantId, i.id, run.id, () => ({ status: 'applying' }));
    return applyApproved(s, i, lease, {
      runId: run.id, approved, direction: summary.direction,
      onResult: () => {
        done++;
        if (done === 1) updating = updating.then(() => show(applying(0))).catch(() => undefined);
        if (done - shown >= step && done < approved.operations.length) {
          shown = done;
          const n = done;
          updating = updating.then(() => show(applying(n))).catch(() => undefined);
        }
      },
    });
  });
  await updating;
  if (result.status === 'busy') {
    await s.store.runs.update(i.tenantId, i.id, run.id, () => ({ status: 'expired' }));
    await show(notice(`Nothing was applied to ${i.name}`, 'Another sync of this integration (a scheduled run or another approval) is running now. Make a fresh preview once it has finished.', {
      tone: 'Warning', buttons: [button(turn.tenantId, 'Fresh preview', 'sync.preview', { integrationId: i.id })],
    }));
  } else if (result.status === 'failed' || result.status === 'abandoned') {
    const problem = result.status === 'failed' ? errorMessage(result.error) : result.reason;
    await s.store.runs.update(i.tenantId, i.id, run.id, () => ({ status: 'failed', outcome: { finishedAt: s.now().toISOString(), applied: 0, failed: approved.operations.length, errors: [{ itemKey: '-', message: problem }] } }));
    await show(notice(`Applying ${i.name} stopped`, `${problem} What was written is recorded; approving a fresh preview continues without duplicates.`, { tone: 'Attention', buttons: [button(turn.tenantId, 'Fresh preview', 'sync.preview', { integrationId: i.id })] }));
  } else if (result.value.kind === 'stale') {
    await s.store.runs.update(i.tenantId, i.id, run.id, () => ({ status: 'expired' }));
    s.logger.info({ tenant: i.tenantId, integration: i.id, run: run.id }, 'stale preview: not applied');
    await show(staleCard(turn.tenantId, i));
  } else {
    await show(await reportCard(s, turn.tenantId, i, result.value.run));
  }
}

function staleCard(tenantId: string, i: IntegrationDocument): AdaptiveCardJson {
  return notice('This preview is out of date', 'The plan or ADO changed after this preview was made, so nothing was applied and nothing was overwritten. Look at a fresh preview and approve that one.', {
    tone: 'Warning', buttons: [button(tenantId, 'Fresh preview', 'sync.preview', { integrationId: i.id }, 'positive')],
  });
}

export async function reportCard(s: FlowServices, tenantId: string, i: IntegrationDocument, run: RunDocument): Promise<AdaptiveCardJson> {
  const summary = run.summary as unknown as RunSummary & { planUrl?: string };
  const results = summary.results ?? [];
  const lineOf = new Map(summary.lines.map((l) => [l.opId, l.text]));
  let adoUrl: ((id: string) => string) | undefined;
  const ado = await s.store.connections.get(i.tenantId, i.adoConnectionId);
  if (ado) adoUrl = (await s.systems.ado(ado).catch(() => undefined))?.workItemUrl;
  // Writes finish in any order; list them as the preview did (parents first, outline order).
  const position = new Map(summary.lines.map((l, n) => [l.opId, n]));
  const ordered = [...results].sort((a, b) => (position.get(a.opId) ?? Infinity) - (position.get(b.opId) ?? Infinity));
  const done = ordered.filter((r) => r.status === 'done');
  const notDone = ordered.filter((r) => r.status !== 'done');
  const SHOWN = 30;
  const seconds = ((summary.durationMs ?? 0) / 1000).toFixed(1);
  return renderCard('sync-report', {
    title: run.status === 'succeeded' ? `Synced: ${i.name}` : run.status === 'partially-succeeded' ? `Synced with exceptions: ${i.name}` : `Sync failed: ${i.name}`,
    tone: run.status === 'succeeded' ? 'Good' : run.status === 'partially-succeeded' ? 'Warning' : 'Attention',
    subtitle: `Applied exactly the approved preview.`,
    facts: [
      { label: 'Approved by', value: summary.approvedBy ?? run.approvals.at(-1)?.by ?? 'unknown' },
      { label: 'Changed', value: String(done.length) },
      { label: 'Skipped', value: String(notDone.length) },
      { label: 'Time taken', value: `${seconds} s` },
    ],
    changed: done.slice(0, SHOWN).map((r) => ({
      text: lineOf.get(r.opId) ?? r.opId,
      url: r.side === 'ado' && r.key && adoUrl ? adoUrl(r.key) : summary.planUrl ?? '',
    })),
    skipped: notDone.slice(0, SHOWN).map((r) => `${lineOf.get(r.opId) ?? r.opId}: ${r.reason ?? r.status}`),
    more: [
      ...(done.length > SHOWN ? [`…and ${done.length - SHOWN} more changes (history keeps the full list).`] : []),
      ...(notDone.length > SHOWN ? [`…and ${notDone.length - SHOWN} more skipped.`] : []),
    ].join(' '),
    planUrl: summary.planUrl ?? '',
    planButtonTitle: `Open the plan in ${systemName((await s.store.connections.get(i.tenantId, i.planConnectionId))?.kind ?? 'pwa')}`,
    buttons: [button(tenantId, 'History', 'history.show', { integrationId: i.id }), button(tenantId, 'Preview again', 'sync.preview', { integrationId: i.id })],
  });
}

export async function reject(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>, run: Stored<RunDocument>): Promise<ActionReply> {
  const decision = await decideRun(s, turn, i, run, 'rejected');
  if (!('decided' in decision)) return decision;
  const card = await runStateCard(s, turn.tenantId, i, decision.decided);
  const activityId = run.card?.activityId ?? turn.cardActivityId;
  if (activityId) await turn.update(activityId, { card });
  return { card };
}

/** "Fresh preview" and the ambiguity buttons: the preview arrives as a new message. */
export async function previewFromCard(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>, action: CardAction): Promise<ActionReply> {
  const direction = text(action.data, 'direction', 20) as SyncDirection | undefined;
  s.background.run(`preview ${i.id}`, () => runPreview(s, turn, i, direction && direction in DIRECTION_LABELS ? direction : undefined));
  return { message: `Preparing a fresh preview of ${i.name}...` };
}

