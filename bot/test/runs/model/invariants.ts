/**
 * The invariants of issue 14, checked from the outside: what the simulators hold (the systems'
 * truth), what the ports were asked to write, and what the store's links say.
 */
import type { Planned } from '../../../src/runs/sync-run.js';
import type { IntegrationDocument } from '../../../src/store/index.js';
import type { ApprovedPlan } from '../../../src/sync/approve.js';
import { markersIn } from '../../../src/sync/ids.js';
import { adoDay, planDay } from '../../../src/sync/mapping/dates.js';
import { MODEL_TENANT, type ModelWorld, type RecordedWrite, type ScenarioSystems } from './world.js';

interface AdoView { type: string; fields: Record<string, unknown>; parent: number | null; tags: string }
interface PlanView { name: string; start: string; finish: string; work: number; percent: number; notes: string; parent: string | null; summary: boolean }

export interface Snapshot {
  readonly ado: ReadonlyMap<number, AdoView>;
  readonly plan: ReadonlyMap<string, PlanView>;
  readonly links: ReadonlyArray<{ planKey: string; adoKey: string }>;
  readonly adoFields: readonly string[];
  readonly zone: string;
  readonly direction: IntegrationDocument['direction'];
}

const parentOf = (relations: ReadonlyArray<{ rel: string; url: string }>): number | null => {
  const up = relations.find((x) => x.rel === 'System.LinkTypes.Hierarchy-Reverse');
  return up ? Number(/(\d+)$/.exec(up.url)![1]) : null;
};

/** A Dataverse DateTimeOffset (UTC) as the wall-clock time of the plan's users, as Planner shows it. */
export function wallClock(instant: unknown, zone: string): string {
  if (typeof instant !== 'string' || instant === '') return '';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}`;
}

/** The plan's tasks as its system holds them, in the shape the invariants compare. */
function planTasks(systems: ScenarioSystems, planProjectId: string): Map<string, PlanView> {
  const plan = new Map<string, PlanView>();
  if (systems.plan.system === 'pwa') {
    const project = systems.plan.pwa.state.projects.find((p) => p.Id === planProjectId)!;
    for (const t of project.tasks) {
      plan.set(t.Id.toLowerCase(), { name: t.Name, start: t.Start, finish: t.Finish, work: t.WorkMinutes, percent: t.PercentComplete, notes: t.Notes, parent: t.ParentId?.toLowerCase() ?? null, summary: t.IsSummary });
    }
    return plan;
  }
  // Planner premium: msdyn_projecttask rows; effort in hours, progress a 0..1 fraction, dates UTC instants.
  for (const t of systems.plan.dataverse.state.list('msdyn_projecttask')) {
    if (String(t._msdyn_project_value).toLowerCase() !== planProjectId.toLowerCase()) continue;
    plan.set(String(t.msdyn_projecttaskid).toLowerCase(), {
      name: String(t.msdyn_subject ?? ''), start: wallClock(t.msdyn_start, systems.zone), finish: wallClock(t.msdyn_finish, systems.zone),
      work: Math.round(Number(t.msdyn_effort ?? 0) * 60), percent: Math.round(Number(t.msdyn_progress ?? 0) * 100), notes: String(t.msdyn_description ?? ''),
      parent: typeof t._msdyn_parenttask_value === 'string' ? t._msdyn_parenttask_value.toLowerCase() : null, summary: t.msdyn_summary === true,
    });
  }
  return plan;
}

export async function snapshot(world: ModelWorld, systems: ScenarioSystems, i: IntegrationDocument, adoProject: string, planProjectId: string): Promise<Snapshot> {
  const ado = new Map<number, AdoView>();
  for (const w of systems.ado.state.items.values()) {
    if (w.deleted || w.fields['System.TeamProject'] !== adoProject) continue;
    ado.set(w.id, { type: String(w.fields['System.WorkItemType']), fields: { ...w.fields }, parent: parentOf(w.relations), tags: String(w.fields['System.Tags'] ?? '') });
  }
  const plan = planTasks(systems, planProjectId);
  // Retired links (unlinked on purpose) only keep the survivor from being re-created.
  const links = (await world.bot.bot.store.links.list(MODEL_TENANT, i.id, { pageSize: 1000 })).items.filter((l) => !l.retired)
    .map((l) => ({ planKey: l.planTaskId.toLowerCase(), adoKey: String(l.workItemId) }));
  const adoFields = [...new Set(['System.Title', ...i.mapping.map((m) => m.adoField)])];
  const zone = (await world.bot.bot.store.connections.get(MODEL_TENANT, i.planConnectionId))?.timeZone ?? 'UTC';
  return { ado, plan, links, adoFields, zone, direction: i.direction };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Plan write field -> the simulator task property it sets. */
const PLAN_PROPS: Readonly<Record<string, keyof PlanView>> = { Name: 'name', Start: 'start', Finish: 'finish', Work: 'work', PercentComplete: 'percent', Notes: 'notes' };

/**
 * 1. Every value written was in the approved plan. 4. Nothing changed that neither a person nor an
 * approved write changed (computed values aside: Project's roll-ups and a moved task's finish).
 */
export function checkRound(before: Snapshot, after: Snapshot, writes: readonly RecordedWrite[], approved: ApprovedPlan, planned: Planned): string[] {
  const out: string[] = [];
  for (const w of writes) {
    const op = approved.operations.find((o) => o.kind !== 'link' && o.kind !== 'unlink' && o.side === w.side && o.kind === w.kind
      && (o.kind === 'create' ? o.marker.toLowerCase() === w.key.toLowerCase() : o.key.toLowerCase() === w.key.toLowerCase()));
    if (!op) { out.push(`a ${w.side} ${w.kind} of ${w.key} that no approved operation asked for`); continue; }
    if (op.kind === 'delete' || op.kind === 'link' || op.kind === 'unlink') continue;
    for (const [field, value] of Object.entries(w.fields)) {
      if (!same(op.fields[field], value)) out.push(`${w.side} ${w.key}: wrote ${field} = ${JSON.stringify(value)}, approved ${JSON.stringify(op.fields[field] ?? '(nothing)')}`);
    }
  }
  const wrote = (side: 'ado' | 'plan', key: string): RecordedWrite[] => writes.filter((w) => w.side === side && w.key.toLowerCase() === key.toLowerCase());
  const markers = new Set(writes.filter((w) => w.side === 'ado' && w.kind === 'create').map((w) => w.key));

  for (const [id, was] of before.ado) {
    const now = after.ado.get(id);
    const mine = wrote('ado', String(id));
    if (!now) {
      if (!mine.some((w) => w.kind === 'delete')) out.push(`work item ${id} disappeared without an approved deletion`);
      continue;
    }
    for (const field of before.adoFields) {
      if (!same(was.fields[field], now.fields[field]) && !mine.some((w) => field in w.fields)) {
        out.push(`work item ${id} ${field} changed ${JSON.stringify(was.fields[field] ?? null)} -> ${JSON.stringify(now.fields[field] ?? null)} with nobody asking`);
      }
    }
    if (was.parent !== now.parent && !mine.some((w) => w.parentKey !== undefined)) out.push(`work item ${id} moved from parent ${was.parent} to ${now.parent} with nobody asking`);
  }
  for (const [id, now] of after.ado) {
    if (before.ado.has(id)) continue;
    if (!markersIn(now.tags).some((m) => markers.has(`planbridge:${m}`))) out.push(`work item ${id} "${String(now.fields['System.Title'])}" appeared without an approved creation`);
  }
  const planWritten = writes.some((w) => w.side === 'plan');
  const deletedPlan = new Set(writes.filter((w) => w.side === 'plan' && w.kind === 'delete').map((w) => w.key.toLowerCase()));
  const underDeleted = (key: string, view: Snapshot): boolean => {
    for (let k: string | null = key, n = 0; k !== null && n < 50; k = view.plan.get(k)?.parent ?? null, n++) if (deletedPlan.has(k)) return true;
    return false;
  };
  for (const [id, was] of before.plan) {
    const now = after.plan.get(id);
    const mine = wrote('plan', id);
    if (!now) {
      if (!underDeleted(id, before)) out.push(`plan task ${id} "${was.name}" disappeared without an approved deletion`);
      continue;
    }
    const written = new Set(mine.flatMap((w) => Object.keys(w.fields)).map((f) => PLAN_PROPS[f]).filter(Boolean));
    const rolledUp = (was.summary || now.summary) && planWritten;
    for (const prop of ['name', 'start', 'finish', 'work', 'percent', 'notes'] as const) {
      if (same(was[prop], now[prop]) || written.has(prop)) continue;
      if (rolledUp && prop !== 'name' && prop !== 'notes') continue;
      // Project keeps a task's duration: moving its start moves its finish.
      if (prop === 'finish' && written.has('start')) continue;
      out.push(`plan task "${was.name}" ${prop} changed ${JSON.stringify(was[prop])} -> ${JSON.stringify(now[prop])} with nobody asking`);
    }
    if (was.parent !== now.parent && !mine.some((w) => w.parentKey !== undefined)) out.push(`plan task "${was.name}" moved under another parent with nobody asking`);
  }
  for (const [id, now] of after.plan) {
    if (!before.plan.has(id) && !wrote('plan', id).some((w) => w.kind === 'create')) out.push(`plan task ${id} "${now.name}" appeared without an approved creation`);
  }
  out.push(...checkDateWrites(before, approved, planned));
  return out;
}

const SCHED = 'Microsoft.VSTS.Scheduling';
const PLAN_DATE_OF: Readonly<Record<string, 'start' | 'finish'>> = { [`${SCHED}.StartDate`]: 'start', [`${SCHED}.FinishDate`]: 'finish', [`${SCHED}.TargetDate`]: 'finish' };
const ADO_DATES_OF: Readonly<Record<string, readonly string[]>> = { Start: [`${SCHED}.StartDate`], Finish: [`${SCHED}.FinishDate`, `${SCHED}.TargetDate`] };

/**
 * 7. Dates agree as calendar days in the site zone: every date the run wrote on one side is the
 * same calendar day as the other side held when the run was planned.
 */
function checkDateWrites(before: Snapshot, approved: ApprovedPlan, planned: Planned): string[] {
  const out: string[] = [];
  const linkById = new Map(planned.links.map((l) => [l.id, l]));
  for (const op of approved.operations) {
    if (op.kind !== 'update' && op.kind !== 'create') continue;
    const link = linkById.get(op.linkId);
    for (const [field, value] of Object.entries(op.fields)) {
      if (typeof value !== 'string') continue;
      if (op.side === 'ado' && PLAN_DATE_OF[field]) {
        const task = before.plan.get((op.kind === 'create' ? op.sourceKey : link?.planKey ?? '').toLowerCase());
        if (!task) continue;
        const want = planDay(task[PLAN_DATE_OF[field]!]);
        if (want !== adoDay(value, before.zone)) out.push(`date shifted: wrote ${field} ${value} (${adoDay(value, before.zone)} in ${before.zone}) for plan "${task.name}" on ${want}`);
      } else if (op.side === 'plan' && ADO_DATES_OF[field]) {
        const item = before.ado.get(Number(op.kind === 'create' ? op.sourceKey : link?.adoKey));
        if (!item) continue;
        const source = ADO_DATES_OF[field]!.map((f) => item.fields[f]).find((v) => typeof v === 'string');
        if (typeof source === 'string' && adoDay(source, before.zone) !== planDay(value)) out.push(`date shifted: wrote plan ${field} ${value} from work item "${String(item.fields['System.Title'])}" on ${adoDay(source, before.zone)} in ${before.zone}`);
      }
    }
  }
  return out;
}

/** 5. No duplicates. 6. Parents agree. */
export function checkAfterSettle(view: Snapshot): string[] {
  const out: string[] = [];
  const byMarker = new Map<string, number[]>();
  for (const [id, w] of view.ado) for (const m of markersIn(w.tags)) byMarker.set(m, [...(byMarker.get(m) ?? []), id]);
  for (const [m, ids] of byMarker) if (ids.length > 1) out.push(`duplicate work items ${ids.join(', ')} carry the same marker ${m}`);
  const adoOfPlan = new Map(view.links.map((l) => [l.planKey, Number(l.adoKey)]));
  const planOfAdo = new Map(view.links.map((l) => [Number(l.adoKey), l.planKey]));
  if (adoOfPlan.size !== view.links.length || planOfAdo.size !== view.links.length) out.push('an item is linked twice');
  for (const l of view.links) {
    const task = view.plan.get(l.planKey);
    const item = view.ado.get(Number(l.adoKey));
    if (!task || !item) { out.push(`link ${l.planKey} <-> ${l.adoKey} points at a missing item`); continue; }
    const planParent = task.parent;
    if (planParent !== null && adoOfPlan.has(planParent) && item.parent !== adoOfPlan.get(planParent)) {
      out.push(`parents disagree: plan "${task.name}" is under a task linked to #${adoOfPlan.get(planParent)}, work item #${l.adoKey} is under #${item.parent}`);
    }
    if (item.parent !== null && planOfAdo.has(item.parent) && planParent !== planOfAdo.get(item.parent)) {
      out.push(`parents disagree: work item #${l.adoKey} is under #${item.parent}, plan "${task.name}" is not under its task`);
    }
  }
  return out;
}
