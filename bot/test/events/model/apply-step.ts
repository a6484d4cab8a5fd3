/**
 * The approval and apply of one previewed event plan: the Approve button with the chosen cancel
 * toggles, run in the background under the integration's lease; around it a crash point armed in
 * the store, a Graph fault (429, 503, a reset connection), an answer lost after Graph acted, an
 * edit after the preview, or a second approver clicking at once. After it, the oracle: only
 * approved writes reached Graph, nothing after the run stopped, and checkNever.
 */
import type { EventOp, EventPlan } from '../../../src/events/index.js';
import { cancelsOf } from '../../../src/flows/outlook/event-cards.js';
import { ourEvents } from './calendar-view.js';
import { isWrite, type GraphProxy } from './graph-proxy.js';
import { checkNever, checkWrites } from './oracle.js';
import type { StepContext, StepMode, StepOutcome } from './round-step.js';
import { EVENTS_TENANT } from './world.js';

/** Arms what goes wrong during this apply; returns the notes for the trace and whether a crash is armed. */
function disturb(c: StepContext, mode: StepMode, plan: EventPlan): string[] {
  const { world, sys, r } = c;
  const notes: string[] = [];
  if (mode === 'random' && r.chance(c.options.crashChance)) {
    const n = r.int(0, 2 * plan.ops.length + 1);
    world.crash.arm(n);
    notes.push(`crash after ${n} store writes`);
  }
  // The simulator keeps a fault until a request meets it; a new one only once the last were met,
  // so no request meets more failures in a row than the connector's retries (4) outlast.
  const met = sys.proxy.log.filter((x) => x.status === 429 || x.status === 503 || x.status === 'aborted').length;
  if (r.chance(c.options.faultChance) && met >= c.counters.faultUnits) {
    const fault = { kind: r.pick([429, 503, 'reset'] as const), count: r.int(1, 2), ...(r.chance(0.6) ? { method: r.pick(['POST', 'PATCH']) } : {}) };
    sys.graph.injectFault(fault);
    notes.push(`Graph fault ${JSON.stringify(fault)}`);
    c.counters.faults++;
    c.counters.faultUnits = met + fault.count;
  }
  if (r.chance(c.options.lostAnswerChance)) {
    const rule = r.pick([{ method: 'POST', pathEnds: 'events' }, { method: 'POST', pathEnds: 'cancel' }, { method: 'PATCH' }] as const);
    sys.proxy.loseAnswers({ ...rule, count: 1 });
    notes.push(`answer lost after ${rule.method} ${'pathEnds' in rule ? rule.pathEnds : 'event'}`);
  }
  return notes;
}

export async function approveAndCheck(c: StepContext, mode: StepMode, plan: EventPlan, data: Record<string, unknown>, chosen: ReadonlySet<string>): Promise<StepOutcome> {
  const { world, sys, history, r } = c;
  const cancels = cancelsOf(plan);
  const toggles = Object.fromEntries(cancels.map((op, n) => [`cancel_${n}`, chosen.has(op.id) ? 'true' : 'false']));
  const chosenEvents = new Set(cancels.filter((op) => chosen.has(op.id)).map((op) => op.eventId));
  for (const id of chosenEvents) history.cancelChosen.add(id);
  const notes = disturb(c, mode, plan);
  const editFirst = mode === 'random' && r.chance(c.options.editBeforeApproveChance);
  const twice = mode === 'random' && r.chance(c.options.doubleClickChance);
  history.step(`approve${chosenEvents.size ? ` cancelling ${cancels.filter((op) => chosen.has(op.id)).map((op) => `"${op.subject}"`).join(', ')}` : ''}${twice ? ' (two approvers at once)' : ''}${notes.length ? `; ${notes.join('; ')}` : ''}`);
  if (editFirst) {
    history.step('  an edit after the preview, before the approval:');
    await c.edit();
  }
  const start = sys.proxy.log.length;
  const click = () => world.click('outlook.approve', { ...data, ...toggles });
  await (twice ? Promise.all([click(), click()]) : click());
  await world.services.background.drain();
  const ended = sys.proxy.log.length;
  if (world.crash.struck) await quiet(sys.proxy);
  const struck = world.crash.disarm();
  sys.proxy.clearRules();
  c.counters.applies++;
  c.counters.lostAnswers += sys.proxy.log.slice(start).filter((x) => x.status === 'dropped').length;
  if (struck) {
    c.counters.crashes++;
    history.step(`  crashed at ${struck}`);
    const late = sys.proxy.log.slice(ended).filter(isWrite);
    if (late.length > 0) c.fail(`${late.length} write(s) reached Graph after the crashed run had stopped and released its lease: ${late.map((w) => `${w.method} ${w.path.split('/').slice(-2).join('/')}`).join(', ')}`);
  }
  for (const v of checkWrites(sys.proxy.log.slice(start), plan, chosen)) c.fail(v);
  for (const v of checkNever(c.oracle)) c.fail(v);
  if (struck) return { kind: 'applied', clean: false };
  const run = await world.services.store.runs.get(EVENTS_TENANT, sys.integration.id, String(data.runId));
  if (run?.status === 'expired' && editFirst) {
    history.step('  out of date: nothing written');
    c.counters.expired++;
    if (sys.proxy.log.slice(start).some(isWrite)) c.fail('a preview that went out of date before its approval still wrote to Graph');
    return { kind: 'applied', clean: false };
  }
  if (run?.status !== 'succeeded') {
    c.fail(`an apply without a crash ended ${run?.status ?? 'nowhere'}: ${JSON.stringify(run?.outcome?.errors ?? '').slice(0, 400)}`);
    return { kind: 'applied', clean: false };
  }
  checkCancels(c, cancels, chosenEvents);
  return { kind: 'applied', clean: !editFirst };
}

/** After a clean apply: each chosen cancel left the calendar, every other proposed one stayed. */
function checkCancels(c: StepContext, cancels: ReadonlyArray<Extract<EventOp, { kind: 'cancel' }>>, chosen: ReadonlySet<string>): void {
  const live = new Set(ourEvents(c.sys.graph).filter((e) => e.live).map((e) => e.id));
  for (const op of cancels) {
    if (chosen.has(op.eventId) && live.has(op.eventId)) c.fail(`the chosen cancel of "${op.subject}" was applied, yet the event is still in the calendar`);
    if (!chosen.has(op.eventId) && !live.has(op.eventId)) c.fail(`"${op.subject}" was not chosen for cancelling, yet its event left the calendar`);
  }
}

/** After a crash: waits until nothing of the dead run is in flight or arriving (a retry's backoff included). */
async function quiet(proxy: GraphProxy, stillMs = 800, maxMs = 6000): Promise<void> {
  const started = Date.now();
  let seen = proxy.log.length;
  let since = Date.now();
  while (Date.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 50));
    if (proxy.log.length !== seen || proxy.inFlight() > 0) { seen = proxy.log.length; since = Date.now(); continue; }
    if (Date.now() - since >= stillMs) return;
  }
}
