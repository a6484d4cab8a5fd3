import { randomUUID } from 'node:crypto';
import { dvErrors, pssMessage } from './errors.js';
import { touchChanged } from './rollup.js';
import { ScheduleEngine, ScheduleFailure } from './schedule-engine.js';
import type { PssOperation } from './pss-payload.js';
import type { Row, Store } from './store.js';
import { OPERATION_SET_STATUS, type FailedStatusVariant } from './tables.js';
import type { DataverseUser } from './users.js';

/**
 * Operation sets, the unit of work of the schedule APIs [notes "Writing", MS schedule-api-preview.md]:
 * created Open, filled by Pss* calls (at most 200 operations), executed asynchronously (Pending,
 * then Completed or Failed after `executionDelayMs`), or abandoned. At most 10 open sets per user.
 * The set, its detail rows and any PSS error log are Dataverse rows the client can read and poll.
 */
export const OPERATION_SET_LIMITS = { operationsPerSet: 200, openSetsPerUser: 10 } as const;

export interface OperationSetResponse {
  operationSetId: string;
  operationSetDetailId: string;
  operationType: string;
  recordId: string | null;
  correlationId: string;
}

/** A scripted failure for the next execution: after `afterOperations` operations applied, fail with `key`. */
export interface ExecutionFailure {
  key?: string;
  message?: string;
  afterOperations?: number;
}

const OPERATION_TYPE_CODES = { Create: 192350000, Update: 192350001, Delete: 192350002 } as const;

export class OperationSets {
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly failures: ExecutionFailure[] = [];
  executionDelayMs: number;

  constructor(private readonly store: () => Store, options: { executionDelayMs: number; failedStatus: FailedStatusVariant }) {
    this.executionDelayMs = options.executionDelayMs;
    this.failed = options.failedStatus;
    this.abandoned = options.failedStatus === 192350002 ? 192350004 : 192350002;
  }

  readonly failed: number;
  readonly abandoned: number;

  /** Labels of msdyn_status, served as FormattedValue (the one reliable way to read Failed/Abandoned [notes]). */
  statusLabels(): Record<number, string> {
    return { [OPERATION_SET_STATUS.open]: 'Open', [OPERATION_SET_STATUS.pending]: 'Pending', [OPERATION_SET_STATUS.completed]: 'Completed', [this.failed]: 'Failed', [this.abandoned]: 'Abandoned' };
  }

  create(user: DataverseUser, projectId: unknown, description: unknown): string {
    if (typeof projectId !== 'string' || !this.store().get('msdyn_project', projectId)) throw dvErrors.rowNotFound('msdyn_project', String(projectId));
    const open = this.store().list('msdyn_operationset').filter((s) => s._ownerid_value === user.systemuserid && s.msdyn_status === OPERATION_SET_STATUS.open);
    if (open.length >= OPERATION_SET_LIMITS.openSetsPerUser) {
      throw dvErrors.scheduleApi(pssMessage('E_LIMITEXCEEDED', `User ${user.domainname} already has ${open.length} open operation sets, the maximum. Execute or abandon one before creating another.`));
    }
    const id = randomUUID();
    this.store().insert('msdyn_operationset', 'msdyn_operationsetid', {
      msdyn_operationsetid: id, msdyn_description: typeof description === 'string' ? description : null, msdyn_status: OPERATION_SET_STATUS.open,
      _msdyn_project_value: projectId.toLowerCase(), msdyn_projectid: projectId.toLowerCase(), msdyn_correlationid: randomUUID(),
      msdyn_executedon: null, msdyn_completedon: null, _msdyn_psserrorlog_value: null, msdyn_useraadid: user.azureactivedirectoryobjectid,
    }, user.systemuserid);
    return id;
  }

  /** An open set of the caller's, or the refusal the caller gets. */
  private openSet(user: DataverseUser, setId: unknown): Row {
    const set = typeof setId === 'string' ? this.store().get('msdyn_operationset', setId) : undefined;
    if (!set) throw dvErrors.rowNotFound('msdyn_operationset', String(setId));
    if (set._ownerid_value !== user.systemuserid) throw dvErrors.scheduleApi(`The operation set ${String(setId)} belongs to another user.`);
    if (set.msdyn_status !== OPERATION_SET_STATUS.open) {
      throw dvErrors.scheduleApi(`The operation set ${String(setId)} is not open: its status is ${this.statusLabels()[set.msdyn_status as number] ?? String(set.msdyn_status)}.`);
    }
    return set;
  }

  /** Queues operations (one Pss* call): all or none, within the 200-operation limit. */
  queue(user: DataverseUser, setId: unknown, ops: Array<{ op: PssOperation; raw: unknown }>): OperationSetResponse[] {
    const set = this.openSet(user, setId);
    const id = set.msdyn_operationsetid as string;
    const details = this.details(id);
    if (details.length + ops.length > OPERATION_SET_LIMITS.operationsPerSet) {
      throw dvErrors.scheduleApi(pssMessage('E_LIMITEXCEEDED', `An operation set can hold at most ${OPERATION_SET_LIMITS.operationsPerSet} operations; ${id} has ${details.length} and this request adds ${ops.length}.`));
    }
    return ops.map(({ op, raw }, i) => {
      const detailId = randomUUID();
      this.store().insert('msdyn_operationsetdetail', 'msdyn_operationsetdetailid', {
        msdyn_operationsetdetailid: detailId, _msdyn_operationset_value: id, msdyn_entityname: op.table, msdyn_operationtype: OPERATION_TYPE_CODES[op.type],
        msdyn_recordid: op.recordId, msdyn_requestnumber: details.length + i + 1, msdyn_cdspayload: JSON.stringify(raw), msdyn_psspayload: JSON.stringify(op),
      }, user.systemuserid);
      return { operationSetId: id, operationSetDetailId: detailId, operationType: op.type, recordId: op.recordId, correlationId: set.msdyn_correlationid as string };
    });
  }

  execute(user: DataverseUser, setId: unknown): OperationSetResponse {
    const set = this.openSet(user, setId);
    set.msdyn_status = OPERATION_SET_STATUS.pending;
    set.msdyn_executedon = new Date(this.store().now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    this.store().touch(set);
    const id = set.msdyn_operationsetid as string;
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        try { this.run(id); } finally { resolve(); }
      }, this.executionDelayMs);
      this.timers.set(timer, resolve);
    });
    this.running.add(done);
    void done.then(() => this.running.delete(done));
    return { operationSetId: id, operationSetDetailId: '00000000-0000-0000-0000-000000000000', operationType: 'Execute', recordId: id, correlationId: set.msdyn_correlationid as string };
  }

  abandon(user: DataverseUser, setId: unknown): OperationSetResponse {
    const set = this.openSet(user, setId);
    set.msdyn_status = this.abandoned;
    set.msdyn_completedon = new Date(this.store().now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    this.store().touch(set);
    return { operationSetId: set.msdyn_operationsetid as string, operationSetDetailId: '00000000-0000-0000-0000-000000000000', operationType: 'Abandon', recordId: set.msdyn_operationsetid as string, correlationId: set.msdyn_correlationid as string };
  }

  failNextExecution(failure: ExecutionFailure): void {
    this.failures.push(failure);
  }

  /** Resolves when every execution started so far has finished. */
  async settle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  /** Drops executions not started yet and scripted failures (on reset and close). */
  stop(): void {
    for (const [timer, resolve] of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
    this.failures.length = 0;
  }

  private details(setId: string): Row[] {
    return this.store().list('msdyn_operationsetdetail').filter((d) => d._msdyn_operationset_value === setId)
      .sort((a, b) => (a.msdyn_requestnumber as number) - (b.msdyn_requestnumber as number));
  }

  /** PSS persists in one transaction: the draft is swapped in whole, or dropped [notes "Asynchronous"]. */
  private run(setId: string): void {
    const live = this.store();
    const set = live.get('msdyn_operationset', setId);
    if (!set || set.msdyn_status !== OPERATION_SET_STATUS.pending) return;
    const ops = this.details(setId).map((d) => JSON.parse(d.msdyn_psspayload as string) as PssOperation);
    const draft = live.clone();
    const scripted = this.failures.shift();
    try {
      const engine = new ScheduleEngine(draft, set._msdyn_project_value as string, set._ownerid_value as string);
      if (scripted) {
        const after = scripted.afterOperations ?? Math.floor(ops.length / 2);
        engine.apply(ops.slice(0, after));
        // The log names the entity the set failed at, as a real failure's does.
        throw new ScheduleFailure(scripted.key ?? 'E_BATCHFAILED', scripted.message ?? 'The Project Scheduling Service failed while saving the operation set.', ops[after]?.recordId ?? null);
      }
      engine.apply(ops);
      touchChanged(live, draft);
      live.adopt(draft);
      this.finish(live, setId, OPERATION_SET_STATUS.completed);
    } catch (err) {
      if (!(err instanceof ScheduleFailure)) throw err;
      this.recordFailure(live, set, err);
    }
  }

  private finish(live: Store, setId: string, status: number): Row {
    const set = live.get('msdyn_operationset', setId)!;
    set.msdyn_status = status;
    set.msdyn_completedon = new Date(live.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    live.touch(set);
    return set;
  }

  /** Failed, with a PSS error log row linked from the set [MS project-scheduling-logs.md]. */
  private recordFailure(live: Store, set: Row, err: ScheduleFailure): void {
    const logId = randomUUID();
    live.insert('msdyn_psserrorlog', 'msdyn_psserrorlogid', {
      msdyn_psserrorlogid: logId, msdyn_errorcode: err.key,
      msdyn_log: JSON.stringify({ errorCode: err.key, message: err.message, recordId: err.recordId, operationSetId: set.msdyn_operationsetid }),
      msdyn_correlationid: set.msdyn_correlationid, msdyn_sessionid: randomUUID(), msdyn_callstack: null,
      msdyn_helplink: 'https://learn.microsoft.com/dynamics365/project-operations/project-management/schedule-api-preview', _msdyn_project_value: set._msdyn_project_value,
    }, set._ownerid_value as string);
    const failed = this.finish(live, set.msdyn_operationsetid as string, this.failed);
    failed._msdyn_psserrorlog_value = logId;
  }
}
