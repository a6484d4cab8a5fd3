import type { Logger } from '../../log.js';
import { PlanConnectorError } from '../ppm.js';
import { FORMATTED, type DataverseClient, type Row } from './client.js';
import { pssDetail } from './errors.js';
import { OPERATION_SET_STATUS, OPERATIONS_PER_SET } from './limits.js';
import type { Operation, OperationGroup } from './operations.js';

/**
 * Runs operations through operation sets, the schedule APIs' unit of work ("Writing: schedule
 * APIs" in ../shared/notes/planner-premium.md): create a set, queue each operation (Pss*V1), execute,
 * poll msdyn_status until Completed or Failed. Operations are queued by the V2 actions, many per request. PSS saves a set in one transaction, so a failed set
 * leaves nothing of it applied; a refusal while queueing abandons the open set (at most 10 may be open).
 */
export interface Polling {
  pollIntervalMs: number;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
}

export interface SetContext {
  client: DataverseClient;
  projectId: string;
  projectName: string;
  polling: Polling;
  logger?: Logger;
}

/** Groups packed into sets of at most 200 operations, in order; a group never straddles two sets. */
export function packSets(groups: OperationGroup[], limit = OPERATIONS_PER_SET): Operation[][] {
  const sets: Operation[][] = [];
  let current: Operation[] = [];
  for (const group of groups) {
    if (current.length + group.length > limit && current.length > 0) {
      sets.push(current);
      current = [];
    }
    current.push(...group);
  }
  if (current.length > 0) sets.push(current);
  return sets;
}

const id = (v: unknown): string => String(v ?? '').toLowerCase();

/** Runs the sets one after another; each must complete before the next starts (later ones may bind to rows of earlier ones). */
export async function runSets(ctx: SetContext, sets: Operation[][], description: string): Promise<Array<{ step: 'operationSet'; jobId: string; state: string }>> {
  const jobs: Array<{ step: 'operationSet'; jobId: string; state: string }> = [];
  for (const [index, ops] of sets.entries()) {
    try {
      const setId = await runSet(ctx, ops, sets.length > 1 ? `${description} (${index + 1} of ${sets.length})` : description);
      jobs.push({ step: 'operationSet', jobId: setId, state: 'Completed' });
    } catch (err) {
      if (!(err instanceof PlanConnectorError) || index === 0) throw err;
      const saved = sets.slice(0, index).reduce((n, s) => n + s.length, 0);
      throw new PlanConnectorError(err.code, `${err.message} The ${saved} changes of the ${index} operation set${index === 1 ? '' : 's'} before it were saved; syncing again finds them and carries on.`, err.details);
    }
  }
  return jobs;
}

async function runSet(ctx: SetContext, ops: Operation[], description: string): Promise<string> {
  const { client } = ctx;
  const opened = await client.action('msdyn_CreateOperationSetV1', { ProjectId: ctx.projectId, Description: description });
  const setId = id(opened.OperationSetId);
  for (const run of runsOfOneAction(ops)) {
    try {
      await client.action(V2[run[0]!.action], { OperationSetId: setId, EntityCollection: run.map(entityOf) });
    } catch (err) {
      await abandon(ctx, setId);
      if (!(err instanceof PlanConnectorError)) throw err;
      // PSS validates first: the refusal names nothing, so PlanBridge names what it sent.
      const verb = err.code === 'unreachable' || err.code === 'throttled' ? 'did not take' : 'refused';
      const what = run.length === 1 ? run[0]!.label : `${run[0]!.label} and ${run.length - 1} other change${run.length === 2 ? '' : 's'}`;
      throw new PlanConnectorError(err.code, `Planner premium ${verb} ${what} for "${ctx.projectName}", so nothing of this batch was saved (the operation set was abandoned): ${err.message}`, err.details);
    }
  }
  try {
    await client.action('msdyn_ExecuteOperationSetV1', { OperationSetId: setId });
  } catch (err) {
    // No answer: the set may be running. It is never sent twice; client-chosen ids let a rerun find what it saved.
    if (err instanceof PlanConnectorError && err.code === 'unreachable') {
      throw new PlanConnectorError('unreachable', `${err.message} The changes to "${ctx.projectName}" may or may not have been saved (operation set ${setId}); syncing again finds what was saved.`, err.details);
    }
    await abandon(ctx, setId);
    throw err;
  }
  await waitForSet(ctx, setId, ops);
  return setId;
}

/**
 * Each V1 operation's list form: the V2 actions take an `EntityCollection`, so a set's operations go
 * in a few requests instead of one each ("Writing: schedule APIs" in the notes). Deletes are listed
 * as `{"@odata.type", "<table>id"}` items [notes: V2/V3 delete items].
 */
const V2 = { msdyn_PssCreateV1: 'msdyn_PssCreateV2', msdyn_PssUpdateV1: 'msdyn_PssUpdateV2', msdyn_PssDeleteV1: 'msdyn_PssDeleteV2' } as const;

/** A request carries at most this many entities (PlanBridge's choice: small bodies, a refusal names few). */
export const ENTITIES_PER_REQUEST = 50;

function entityOf(op: Operation): Row {
  if (op.action !== 'msdyn_PssDeleteV1') return op.params.Entity as Row;
  const table = String(op.params.EntityLogicalName);
  return { '@odata.type': `Microsoft.Dynamics.CRM.${table}`, [`${table}id`]: op.params.RecordId };
}

/** Consecutive operations of one action, in order (order matters: parents before their children). */
function runsOfOneAction(ops: readonly Operation[]): Operation[][] {
  const runs: Operation[][] = [];
  for (const op of ops) {
    const last = runs.at(-1);
    if (last && last[0]!.action === op.action && last.length < ENTITIES_PER_REQUEST) last.push(op);
    else runs.push([op]);
  }
  return runs;
}

async function abandon(ctx: SetContext, setId: string): Promise<void> {
  try {
    await ctx.client.action('msdyn_AbandonOperationSetV1', { OperationSetId: setId });
  } catch (err) {
    ctx.logger?.warn({ operationSetId: setId, code: (err as PlanConnectorError).code }, 'planner operation set could not be abandoned');
  }
}

type SetState = 'open' | 'pending' | 'completed' | 'failed' | 'abandoned';

/** By the FormattedValue label first: sources disagree which code is Failed and which Abandoned [notes ?]. */
function stateOf(row: Row): SetState {
  const label = String(row[`msdyn_status@${FORMATTED}`] ?? '').toLowerCase();
  if (label.startsWith('complete')) return 'completed';
  if (label.startsWith('fail')) return 'failed';
  if (label.startsWith('abandon')) return 'abandoned';
  if (label.startsWith('open')) return 'open';
  if (label) return 'pending';
  const code = Number(row.msdyn_status);
  if (code === OPERATION_SET_STATUS.completed) return 'completed';
  if ((OPERATION_SET_STATUS.failedOrAbandoned as readonly number[]).includes(code)) return 'failed';
  return code === OPERATION_SET_STATUS.open ? 'open' : 'pending';
}

async function waitForSet(ctx: SetContext, setId: string, ops: Operation[]): Promise<void> {
  const deadline = Date.now() + ctx.polling.timeoutMs;
  for (;;) {
    await ctx.polling.sleep(ctx.polling.pollIntervalMs);
    const row = await ctx.client.get(`msdyn_operationsets(${setId})`, { $select: 'msdyn_status,_msdyn_psserrorlog_value' }, `odata.include-annotations="${FORMATTED}"`);
    const state = stateOf(row);
    if (state === 'completed') return;
    if (state === 'failed' || state === 'abandoned') throw await setFailure(ctx, setId, row, ops, state);
    if (Date.now() > deadline) {
      throw new PlanConnectorError('queue-timeout', `Planner premium has not finished saving the changes to "${ctx.projectName}" after ${Math.round(ctx.polling.timeoutMs / 1000)} s (operation set ${setId} is still ${state}). It may still finish: check the plan before syncing again; a new sync finds what was saved.`, { jobState: state });
    }
  }
}

/** The failure, naming the task the PSS error log points at (its record id, as JSON or anywhere in the text). */
async function setFailure(ctx: SetContext, setId: string, row: Row, ops: Operation[], state: SetState): Promise<PlanConnectorError> {
  let key = '';
  let message = '';
  let recordId: string | undefined;
  const logId = row._msdyn_psserrorlog_value;
  if (typeof logId === 'string' && logId) {
    try {
      const log = await ctx.client.get(`msdyn_psserrorlogs(${logId})`, { $select: 'msdyn_errorcode,msdyn_log' });
      key = String(log.msdyn_errorcode ?? '');
      const text = String(log.msdyn_log ?? '');
      const detail = pssDetail(text);
      message = detail?.message ?? text.slice(0, 300);
      recordId = detail?.recordId ?? ops.find((op) => text.toLowerCase().includes(op.recordId))?.recordId;
    } catch (err) {
      ctx.logger?.warn({ operationSetId: setId, code: (err as PlanConnectorError).code }, 'planner error log could not be read');
    }
  }
  const culprit = recordId ? ops.find((op) => op.recordId === id(recordId)) : undefined;
  const what = culprit ? ` at ${culprit.label}` : '';
  const why = message ? `: ${key ? `${key} ` : ''}${message}` : ` (operation set ${setId} ended ${state})`;
  return new PlanConnectorError('queue-failed', `Planner premium could not save the changes to "${ctx.projectName}"${what}${why}. Nothing of this batch was saved.`, { jobState: state, ...(key ? { serverCode: key } : {}) });
}
