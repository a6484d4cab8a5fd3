/**
 * One preview and decision of an Outlook-events scenario, through production's chat and card
 * paths: "sync project X to Outlook" makes the preview (which must write nothing to Graph); the
 * approver reads the run's event plan, decides each proposed cancel, and then rejects, or approves
 * (apply-step.ts). A preview after a round without edits must propose nothing new.
 */
import type { EventOp, EventPlan } from '../../../src/events/index.js';
import { cancelsOf, eventSummaryOf } from '../../../src/flows/outlook/event-cards.js';
import { cardText } from '../../support/fake-connector.js';
import { actionsOf } from '../../support/journey.js';
import type { Random } from '../../runs/model/random.js';
import { approveAndCheck } from './apply-step.js';
import { isWrite } from './graph-proxy.js';
import type { History } from './history.js';
import type { OracleContext } from './oracle.js';
import { EVENTS_TENANT, type EventSystems, type EventWorld } from './world.js';

export interface StepOptions {
  readonly crashChance: number;
  readonly faultChance: number;
  readonly lostAnswerChance: number;
  readonly rejectChance: number;
  /** A person edits between the preview and the approval (the apply must then write all of it or nothing). */
  readonly editBeforeApproveChance: number;
  /** Two approvers click Approve at once. */
  readonly doubleClickChance: number;
}

export interface StepCounters {
  applies: number;
  crashes: number;
  faults: number;
  /** Failed answers the injected faults add up to (compared with those the proxy saw). */
  faultUnits: number;
  /** Answers dropped after Graph acted (lost on the wire). */
  lostAnswers: number;
  rejected: number;
  expired: number;
}

/**
 * 'random': a round's first preview (random cancels, maybe a rejection, a crash, an edit before
 * approving); 'settle': the round's decisions kept, no crash; 'drain': every cancel chosen.
 */
export type StepMode = 'random' | 'settle' | 'drain';
export type StepOutcome =
  | { kind: 'in-step' }
  /** Nothing proposed but cancels the approver declined this round (their event ids). */
  | { kind: 'only-declined'; hash: string; cancels: ReadonlySet<string> }
  | { kind: 'applied'; clean: boolean }
  | { kind: 'rejected' }
  | { kind: 'failed' };

export interface StepContext {
  readonly r: Random;
  readonly world: EventWorld;
  readonly sys: EventSystems;
  readonly history: History;
  readonly oracle: OracleContext;
  readonly options: StepOptions;
  readonly counters: StepCounters;
  /** Cancel decisions of this round, by link id: true = cancel. */
  readonly decisions: Map<string, boolean>;
  /** One random edit of the plan or the calendar, as between syncs. */
  edit(): Promise<void>;
  fail(what: string): void;
}

export function describePlan(plan: EventPlan): string {
  const line = (op: EventOp): string => {
    switch (op.kind) {
      case 'create': return `create "${op.taskName}"${op.again ? ` again (${op.again})` : ''} [${op.draft.attendees.map((a) => a.address.split('@')[0]).join(',')}]`;
      case 'update': return `update "${op.taskName}" (${op.changed.join(',')})`;
      case 'cancel': return `cancel "${op.subject}" (${op.reason})`;
      case 'link': return `adopt ${op.eventId.slice(-10)}`;
      case 'forget': return `forget ${op.linkId.slice(-8)}`;
      case 'skipped': return `skip "${op.taskName}"`;
    }
  };
  return plan.ops.map(line).join('; ') || 'nothing';
}

/**
 * `unchangedSince`: the round made no edit, so the preview may propose only the cancels declined
 * when the last round settled (their event ids).
 */
export async function previewAndDecide(c: StepContext, mode: StepMode, unchangedSince?: ReadonlySet<string>): Promise<StepOutcome> {
  const { world, sys, history } = c;
  const before = sys.proxy.log.length;
  const card = await world.sync(sys.planName);
  if (sys.proxy.log.slice(before).some(isWrite)) c.fail('making a preview wrote to Graph');
  const text = cardText(card);
  if (/is in step/.test(text)) {
    history.step(`${mode} preview: in step`);
    return { kind: 'in-step' };
  }
  const approve = actionsOf(card).find((a) => a.verb === 'outlook.approve');
  if (!approve) {
    c.fail(`the preview did not come: ${text.slice(0, 300)}`);
    return { kind: 'failed' };
  }
  const run = await world.services.store.runs.get(EVENTS_TENANT, sys.integration.id, String(approve.data.runId));
  const summary = run && eventSummaryOf(run);
  if (!summary) throw new Error('the preview run holds no event plan');
  const plan = summary.plan;
  history.step(`${mode} preview: ${describePlan(plan)}`);
  if (unchangedSince && !plan.ops.every((op) => op.kind === 'skipped' || (op.kind === 'cancel' && unchangedSince.has(op.eventId)))) {
    c.fail(`a round with no edits proposes ${describePlan(plan)}`);
  }
  const cancels = cancelsOf(plan);
  for (const op of cancels) if (!c.decisions.has(op.linkId) || mode === 'drain') c.decisions.set(op.linkId, mode === 'drain' || c.r.chance(0.5));
  if (mode !== 'random' && plan.ops.every((op) => op.kind === 'skipped' || (op.kind === 'cancel' && !c.decisions.get(op.linkId)))) {
    return { kind: 'only-declined', hash: summary.hash, cancels: new Set(cancels.map((op) => op.eventId)) };
  }
  if (mode === 'random' && c.r.chance(c.options.rejectChance)) {
    history.step('reject');
    const start = sys.proxy.log.length;
    await world.click('outlook.reject', { integrationId: sys.integration.id, runId: approve.data.runId });
    await world.services.background.drain();
    if (sys.proxy.log.slice(start).some(isWrite)) c.fail('a rejected preview wrote to Graph');
    c.counters.rejected++;
    return { kind: 'rejected' };
  }
  return approveAndCheck(c, mode, plan, approve.data, new Set(cancels.filter((op) => c.decisions.get(op.linkId)).map((op) => op.id)));
}
