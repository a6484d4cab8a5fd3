/**
 * The engine's PlanSide over any PlanConnector (PWA today). Plan tasks become `Item`s whose field
 * names are the PWA task properties the default mapping uses (Name, Start, Finish, Work, ...), plus
 * every task custom field by its display name; engine writes go back as one change set per batch.
 */
import { PlanConnectorError, type NewPlanTask, type PlanConnector, type PlanFieldValue, type PlanTask, type PlanTaskUpdate } from '../connectors/ppm.js';
import { siteLocalToUtc } from '../connectors/pwa/dates.js';
import { formatHours, parseHours } from '../sync/mapping/work.js';
import type { FieldValue, Item, PlanScope } from '../sync/model.js';
import type { PlanSide, PlanWrite, PlanWriteResult } from '../sync/ports.js';
import type { WriteLimits } from '../sync/write-limits.js';

/**
 * What Project computes itself, so PlanBridge never writes it: actual work comes from % complete
 * or timesheets and remaining work is what is left of Work; resources need assignments, which
 * the connector does not write, and a summary task's dates, work and progress roll up from its subtasks.
 */
export const PWA_WRITE_LIMITS: WriteLimits = {
  readOnly: {
    RemainingWork: 'Project computes it from Work and the actual work reported',
    ActualWork: 'Project takes it from % complete or from timesheets',
    ResourceNames: 'PlanBridge does not assign resources in Project Web App; assign them in the plan',
  },
  rolledUp: {
    Start: 'Project rolls a summary task\'s dates up from its subtasks',
    Finish: 'Project rolls a summary task\'s dates up from its subtasks',
    Duration: 'Project rolls a summary task\'s dates up from its subtasks',
    Work: 'Project adds a summary task\'s work up from its subtasks',
    PercentComplete: 'Project rolls a summary task\'s % complete up from its subtasks',
  },
};

/** Properties the adapter maps itself; any other field name is a task custom field. */
const BUILT_IN = new Set(['Name', 'Start', 'Finish', 'Work', 'RemainingWork', 'ActualWork', 'PercentComplete', 'Notes', 'ResourceNames', 'Duration']);

/**
 * `timeZone` is the site's zone: PWA's `Modified` is a wall-clock time there, and the engine's
 * `modifiedAt` is an instant. A task with no readable `Modified` gets none (and is never left out).
 */
export function taskToItem(task: PlanTask, timeZone = 'UTC'): Item {
  const fields: Record<string, FieldValue> = {
    Name: task.name,
    Start: task.start,
    Finish: task.finish,
    Work: formatHours(task.workMinutes / 60),
    // As Project holds them: with timesheet actuals they are not Work × % complete.
    ActualWork: formatHours(task.actualWorkMinutes / 60),
    RemainingWork: formatHours(task.remainingWorkMinutes / 60),
    PercentComplete: task.percentComplete,
    Notes: task.notes,
    ResourceNames: task.assignments.map((a) => a.resourceName).join(','),
    Duration: `${task.durationMinutes / 60}h`,
  };
  for (const [name, value] of Object.entries(task.customFields)) fields[name] = flatten(value);
  const modifiedAt = modifiedInstant(task.modified, timeZone);
  return {
    key: task.id, system: 'plan', type: task.isSummary ? 'Summary' : 'Task', parentKey: task.parentId, fields, version: task.version,
    ...(modifiedAt ? { modifiedAt } : {}),
    ...(task.isActive ? {} : { inactive: true }),
    ...(task.predecessors.length > 0 ? { dependsOn: task.predecessors.map((d) => ({ key: d.predecessorId, kind: d.kind })) } : {}),
  };
}

function modifiedInstant(modified: string | null, timeZone: string): string | undefined {
  if (!modified) return undefined;
  try {
    return siteLocalToUtc(modified, timeZone);
  } catch {
    return undefined;
  }
}

function flatten(value: PlanFieldValue): FieldValue {
  return Array.isArray(value) ? value.join(', ') : value;
}

const text = (v: FieldValue | undefined): string | undefined => (v === undefined ? undefined : v === null ? '' : String(v));
const date = (v: FieldValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function customFields(fields: Readonly<Record<string, FieldValue>>): Record<string, PlanFieldValue> | undefined {
  const out = Object.entries(fields).filter(([name]) => !BUILT_IN.has(name));
  return out.length > 0 ? Object.fromEntries(out) : undefined;
}

function toCreate(write: Extract<PlanWrite, { kind: 'create' }>): NewPlanTask {
  const f = write.fields;
  const start = date(f.Start);
  const finish = date(f.Finish);
  const notes = text(f.Notes);
  const custom = customFields(f);
  const hours = 'Work' in f ? parseHours(f.Work) : null;
  const percent = typeof f.PercentComplete === 'number' ? Math.round(f.PercentComplete) : null;
  return {
    id: write.key, parentId: write.parentKey, name: text(f.Name) || 'Untitled',
    ...(start ? { start } : {}), ...(finish ? { finish } : {}), ...(notes !== undefined ? { notes } : {}), ...(custom ? { customFields: custom } : {}),
    ...(hours !== null && hours > 0 ? { workMinutes: Math.round(hours * 60) } : {}), ...(percent !== null && percent > 0 ? { percentComplete: percent } : {}),
  };
}

function toUpdate(write: Extract<PlanWrite, { kind: 'update' }>): PlanTaskUpdate {
  const f = write.fields;
  // Carried down so a connector that can check it at write time (Planner) closes the gap since the read.
  const update: PlanTaskUpdate = { id: write.key, expectedVersion: String(write.expectedVersion) };
  if ('Name' in f) update.name = text(f.Name);
  if ('Notes' in f) update.notes = text(f.Notes);
  const start = date(f.Start);
  if (start) update.start = start;
  const finish = date(f.Finish);
  if (finish) update.finish = finish;
  if ('Work' in f) {
    const hours = parseHours(f.Work);
    if (hours !== null) update.workMinutes = Math.round(hours * 60);
  }
  if (typeof f.PercentComplete === 'number') update.percentComplete = Math.round(f.PercentComplete);
  if (write.parentKey !== undefined) update.parentId = write.parentKey;
  const custom = customFields(f);
  if (custom) update.customFields = custom;
  return update;
}

export function createPlanSide(connector: PlanConnector): PlanSide {
  return {
    // Each plan system says what it computes itself; a connector that does not is held to PWA's rules.
    limits: connector.writeLimits ?? PWA_WRITE_LIMITS,
    async readScope(scope: PlanScope) {
      return (await connector.readTasks(scope.projectId)).map((t) => taskToItem(t, connector.timeZone));
    },
    async readByKeys(projectId, keys) {
      const wanted = new Set(keys.map((k) => k.toLowerCase()));
      return (await connector.readTasks(projectId)).filter((t) => wanted.has(t.id.toLowerCase())).map((t) => taskToItem(t, connector.timeZone));
    },
    async applyBatch(projectId, writes) {
      // Preconditions are checked against the published plan just before the edit cycle.
      const current = new Map((await connector.readTasks(projectId)).map((t) => [t.id.toLowerCase(), t]));
      const results: PlanWriteResult[] = [];
      const creates: NewPlanTask[] = [];
      const updates: PlanTaskUpdate[] = [];
      const deletes: string[] = [];
      const sent: string[] = [];
      for (const w of writes) {
        const existing = current.get(w.key.toLowerCase());
        if (w.kind === 'create') {
          // Already there: a rerun after a crash found the task it created before.
          if (existing) results.push({ opId: w.opId, status: 'done' });
          else { creates.push(toCreate(w)); sent.push(w.opId); }
        } else if (!existing || String(existing.version) !== String(w.expectedVersion)) {
          results.push({ opId: w.opId, status: 'stale' });
        } else if (w.kind === 'delete') {
          deletes.push(w.key); sent.push(w.opId);
        } else {
          updates.push(toUpdate(w)); sent.push(w.opId);
        }
      }
      if (creates.length > 0 || updates.length > 0 || deletes.length > 0) {
        try {
          await connector.applyChanges({ projectId, creates, updates, ...(deletes.length > 0 ? { deletes } : {}) });
        } catch (err) {
          if (err instanceof PlanConnectorError) throw err;
          throw new PlanConnectorError('server-error', 'Writing to the plan failed; nothing was published. Try again, or check the plan in Project Web App.');
        }
        for (const opId of sent) results.push({ opId, status: 'done' });
      }
      const order = new Map(writes.map((w, i) => [w.opId, i]));
      return results.sort((a, b) => order.get(a.opId)! - order.get(b.opId)!);
    },
  };
}
