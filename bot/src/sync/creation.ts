/**
 * Creations: unlinked items on one side become new items on the other. A creation root is an
 * unlinked item whose parent is linked (or that has none); the integration's creation option says
 * which of its descendants come along. New items get deterministic link ids, so a rerun proposes
 * the same creations and finds what an interrupted run already made.
 */
import { linkIdFor, markerFor, planKeyFor } from './ids.js';
import type { CompiledMapping } from './mapping/compile.js';
import { TEXT_LIMITS, truncate } from './mapping/text.js';
import { fieldNote } from './mapping/labels.js';
import { flowsTo, type FieldValue, type Integration, type Item, type SideValues } from './model.js';
import type { Proposed } from './matching.js';
import type { CreateOp, MatchProposal, ParentRef } from './plan.js';
import { includedByOption, isPlanContainer, planDepth, typeForOutline, type LinkIndex } from './hierarchy.js';
import { hasRefFields, projectOverride, refValues, typeOverride, type RefFields, type WorkItemUrl } from './planbridge-fields.js';
import { TEAM_PROJECT_TYPE, isProjectKey, projectOfKey, type SideView } from './scope.js';
import { formatHours, parseHours } from './mapping/work.js';
import { NO_SIDE_LIMITS, whyNotAState, whyNotWritable, type SideLimits } from './write-limits.js';

export interface CreationInput {
  readonly integration: Integration;
  readonly mapping: CompiledMapping;
  readonly planView: SideView;
  readonly adoView: SideView;
  readonly links: LinkIndex;
  readonly planProject: string;
  readonly limits?: SideLimits;
  /** The PlanBridge reference fields the plan has, and the URL of a work item (planbridge-fields.ts). */
  readonly refs?: RefFields;
  readonly workItemUrl?: WorkItemUrl;
}

export interface Creations {
  readonly ops: CreateOp[];
  readonly warnings: string[];
}

export function planCreations(input: CreationInput): Creations {
  const ops: CreateOp[] = [];
  const warnings: string[] = [];
  const unwritten = new UnwrittenNotes();
  if (flowsTo(input.integration.direction, 'ado')) createOnAdo(input, ops, warnings, unwritten);
  if (flowsTo(input.integration.direction, 'plan')) createOnPlan(input, ops, warnings, unwritten);
  return { ops, warnings: [...warnings, ...unwritten.notes()] };
}

export interface ConditionalCreations extends Creations {
  /** The proposed pairs, each with the creations that linking it, or keeping it apart, brings. */
  readonly matches: MatchProposal[];
}

const byOpId = (a: CreateOp, b: CreateOp): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Creations when some pairs are only proposed (matching.ts): `ops` are the creations that happen
 * whatever is decided; each proposal carries those that happen only if it is linked (the unmatched
 * items right below it) and only if it is kept apart (both items and everything below them).
 *
 * Decisions along a chain of proposals are consistent (a pair can be linked only if its parents
 * are), so for a proposal at depth d "kept apart" means: proposals above it linked, it and those
 * below it not. The creations of that case are planned with exactly those links; the preset case
 * (every proposal linked) gives the rest. Creation warnings describe the preset case.
 */
export function conditionalCreations(input: CreationInput, proposals: readonly Proposed[]): ConditionalCreations {
  if (proposals.length === 0) return { ...planCreations(input), matches: [] };
  const { planView, adoView, links } = input;
  const byPlan = new Map(proposals.map((p) => [p.planKey, p]));
  const byAdo = new Map(proposals.map((p) => [p.adoKey, p]));
  const linkedAbove = (depth: number): LinkIndex => ({
    retired: (side, k) => links.retired?.(side, k) ?? false,
    adoOfPlan: (k) => links.adoOfPlan(k) ?? ((byPlan.get(k)?.depth ?? Infinity) < depth ? byPlan.get(k)!.adoKey : undefined),
    planOfAdo: (k) => links.planOfAdo(k) ?? ((byAdo.get(k)?.depth ?? Infinity) < depth ? byAdo.get(k)!.planKey : undefined),
  });
  // The source side of a creation: where its item and its ancestors are.
  const source = (op: CreateOp) => op.side === 'ado'
    ? { view: planView, members: byPlan, linked: (k: string) => links.adoOfPlan(k) !== undefined }
    : { view: adoView, members: byAdo, linked: (k: string) => links.planOfAdo(k) !== undefined };
  const ifLinked = new Map<string, CreateOp[]>(proposals.map((p) => [p.id, []]));
  const ifApart = new Map<string, CreateOp[]>(proposals.map((p) => [p.id, []]));

  const preset = planCreations({ ...input, links: linkedAbove(Infinity) });
  const ops: CreateOp[] = [];
  for (const op of preset.ops) {
    // The nearest linked ancestor decides: a proposed pair makes the creation depend on linking it.
    const { view, members, linked } = source(op);
    let owner: Proposed | undefined;
    for (let k = view.parent.get(op.sourceKey) ?? null; k !== null; k = view.parent.get(k) ?? null) {
      owner = members.get(k);
      if (owner || linked(k)) break;
    }
    if (owner) ifLinked.get(owner.id)!.push(op);
    else ops.push(op);
  }
  const deepest = Math.max(...proposals.map((p) => p.depth));
  for (let depth = 0; depth <= deepest; depth++) {
    for (const op of planCreations({ ...input, links: linkedAbove(depth) }).ops) {
      const { view, members, linked } = source(op);
      let owner: Proposed | undefined;
      for (let k: string | null = op.sourceKey; k !== null; k = view.parent.get(k) ?? null) {
        const m = members.get(k);
        if (m ? m.depth < depth : linked(k)) break;
        if (m?.depth === depth) { owner = m; break; }
      }
      if (owner) ifApart.get(owner.id)!.push(op);
    }
  }
  const title = (item: Item | undefined, field: string): string => String(item?.fields[field] ?? '');
  const matches: MatchProposal[] = [...proposals]
    .sort((a, b) => a.depth - b.depth || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((p) => {
      const ado = adoView.items.get(p.adoKey);
      const parent = planView.parent.get(p.planKey) ?? null;
      const task = planView.items.get(p.planKey);
      const refs = input.refs && hasRefFields(input.refs) && task
        ? { adoRefs: { planProject: input.planProject, planKey: p.planKey, expectedVersion: task.version, ...input.refs } } : {};
      return {
        id: p.id,
        link: { kind: 'link', id: `link:${p.linkId}`, linkId: p.linkId, planKey: p.planKey, adoKey: p.adoKey, reason: 'title', ...refs },
        planTitle: title(planView.items.get(p.planKey), 'Name'),
        adoTitle: title(ado, 'System.Title'),
        adoType: ado?.type ?? '',
        parentTitle: parent === null ? null : title(planView.items.get(parent), 'Name'),
        dependsOn: p.dependsOn,
        ifLinked: ifLinked.get(p.id)!.sort(byOpId),
        ifApart: ifApart.get(p.id)!.sort(byOpId),
      };
    });
  return { ops, warnings: preset.warnings, matches };
}

/** One preview note per field the other side computes, instead of one per new item. */
class UnwrittenNotes {
  private readonly byField = new Map<string, { field: string; side: 'plan' | 'ado'; why: string; count: number }>();

  add(side: 'plan' | 'ado', field: string, why: string): void {
    const key = `${side}\u0000${field}\u0000${why}`;
    const entry = this.byField.get(key);
    if (entry) entry.count++;
    else this.byField.set(key, { field, side, why, count: 1 });
  }

  notes(): string[] {
    return [...this.byField.values()].map(({ field, side, why, count }) =>
      `${field} is not written to ${count} new ${side === 'plan' ? (count === 1 ? 'plan task' : 'plan tasks') : (count === 1 ? 'work item' : 'work items')}: ${why}.`);
  }
}

/** A value worth naming when it cannot be written: not empty, not zero. */
const meaningful = (v: FieldValue | undefined): boolean => v !== undefined && v !== null && v !== '' && v !== 0 && parseHours(v) !== 0;

/**
 * Project keeps Work = Actual Work + Remaining Work and computes the last two itself. A new task
 * whose work item has remaining or completed hours but no original estimate gets their sum as Work,
 * so it arrives with the hours its work item carries.
 */
function fillWork(fields: Record<string, FieldValue>, unwrittenValues: Readonly<Record<string, FieldValue>>): void {
  const work = parseHours(fields['Work']);
  if (work !== null && work > 0) return;
  const remaining = parseHours(unwrittenValues['RemainingWork']) ?? 0;
  const actual = parseHours(unwrittenValues['ActualWork']) ?? 0;
  if (remaining + actual > 0) fields['Work'] = formatHours(remaining + actual);
}

/** Walks down from a root, adding the root and the descendants the creation option admits. */
function walk(
  root: string, view: SideView, isLinked: (key: string) => boolean, admit: (key: string) => boolean,
  visit: (key: string, level: number, parentCreated: string | null) => void,
): void {
  const stack: Array<[string, number, string | null]> = [[root, 0, null]];
  while (stack.length > 0) {
    const [key, level, parentCreated] = stack.pop()!;
    visit(key, level, parentCreated);
    const kids = view.children.get(key) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) {
      const kid = kids[i]!;
      if (!isLinked(kid) && admit(kid)) stack.push([kid, level + 1, key]);
    }
  }
}

function defaultAdoProject(integration: Integration): string {
  return integration.scope.ado[0]?.project ?? '';
}

function createOnAdo(input: CreationInput, ops: CreateOp[], warnings: string[], unwritten: UnwrittenNotes): void {
  const { integration, mapping, planView, adoView, links } = input;
  const limits = (input.limits ?? NO_SIDE_LIMITS).ado;
  const projectsOnTop = integration.hierarchy.teamProjectAsTopParent;
  const linked = (k: string): boolean => links.adoOfPlan(k) !== undefined;
  const linkIds = new Map<string, string>();
  const refs = input.refs && hasRefFields(input.refs) ? input.refs : null;
  // Each task's target project and type, worked out once (so each override note is said once):
  // its "ADO Project" or its parent's project, then its "ADO Work Item Type" or its outline level.
  const resolved = new Map<string, { project: string; type: string }>();
  const noted = new Set<string>();
  const note = (text: string | undefined): void => {
    if (text !== undefined && !noted.has(text)) { noted.add(text); warnings.push(text); }
  };
  const resolve = (k: string, inherited: string): { project: string; type: string } => {
    const known = resolved.get(k);
    if (known) return known;
    const item = planView.items.get(k)!;
    let project = inherited;
    const asked = projectOverride(integration, item);
    if (asked.project !== undefined && asked.project !== inherited && projectsOnTop) {
      // With projects on top, the top-level task a task sits under is its project.
      note(`Plan task "${String(item.fields['Name'] ?? k)}" asks for ADO Project "${asked.project}" but sits under the "${inherited}" project task, which decides its project.`);
    } else if (asked.project !== undefined) project = asked.project;
    note(asked.note);
    const type = typeOverride(integration, limits, item, project);
    note(type.note);
    const out = { project, type: type.type ?? typeForOutline(integration, planDepth(planView, k, projectsOnTop), isPlanContainer(planView, k)) };
    resolved.set(k, out);
    return out;
  };

  const inactive: string[] = [];
  const active = (k: string): boolean => {
    const item = planView.items.get(k)!;
    if (item.inactive) inactive.push(String(item.fields['Name'] ?? k));
    return !item.inactive;
  };
  for (const key of planView.items.keys()) {
    if (linked(key)) continue;
    const pp = planView.parent.get(key) ?? null;
    if (pp !== null && !linked(pp)) continue; // comes along with its parent, or waits for it
    if (!active(key)) continue;
    if (pp !== null && links.retired?.('plan', pp)) {
      warnings.push(`Plan task "${String(planView.items.get(key)!.fields['Name'] ?? key)}" is under a task that was unlinked on purpose, so it was not created in ADO.`);
      continue;
    }
    if (pp === null && projectsOnTop) {
      warnings.push(`Plan task "${String(planView.items.get(key)!.fields['Name'] ?? key)}" is at the top level, where each task stands for an ADO project, and no project in scope has that name; it was not created in ADO.`);
      continue;
    }
    const parentAdo = pp === null ? null : links.adoOfPlan(pp)!;
    if (parentAdo !== null && !isProjectKey(parentAdo) && !adoView.items.has(parentAdo)) {
      // The parent's work item is gone (its deletion awaits a decision): children wait for it.
      warnings.push(`Plan task "${String(planView.items.get(key)!.fields['Name'] ?? key)}" waits to be created in ADO until the deletion of its parent's work item is decided.`);
      continue;
    }
    const rootProject = parentAdo === null
      ? defaultAdoProject(integration)
      : isProjectKey(parentAdo) ? projectOfKey(parentAdo) : String(adoView.items.get(parentAdo)?.fields['System.TeamProject'] ?? defaultAdoProject(integration));
    const inherited = (k: string): string => resolved.get(planView.parent.get(k) ?? '')?.project ?? rootProject;

    walk(key, planView, linked, (k) => active(k) && includedByOption(integration, integration.creation, resolve(k, inherited(k)).type), (k, level, parentCreated) => {
      const item = planView.items.get(k)!;
      const linkId = linkIdFor(integration.id, 'plan', k);
      linkIds.set(k, linkId);
      const { project, type } = resolve(k, parentCreated === null ? rootProject : inherited(k));
      const scope = integration.scope.ado.find((s) => s.project === project);
      const parent: ParentRef = parentCreated !== null
        ? { linkId: linkIds.get(parentCreated)! }
        : parentAdo === null || isProjectKey(parentAdo) ? null : { key: parentAdo };
      const fields: Record<string, FieldValue> = {};
      const baseline: Record<string, SideValues> = {};
      for (const c of mapping.forType(type)) {
        const p = item.fields[c.rule.planField];
        let ado: FieldValue = c.conv.normAdo(null);
        const why = c.toAdo ? whyNotWritable(limits, c.rule.adoField, (planView.children.get(k)?.length ?? 0) > 0, type) : null;
        if (why) {
          if (meaningful(p)) unwritten.add('ado', c.rule.adoField, why);
        } else if (c.toAdo) {
          const converted = c.conv.toAdo(p);
          const badState = converted.ok ? whyNotAState(limits, c.rule.adoField, converted.value, type) : null;
          const out = badState ? { ok: false as const, problem: badState } : converted;
          if (out.ok) {
            fields[c.rule.adoField] = out.value;
            ado = c.conv.normAdo(out.value);
          } else warnings.push(fieldNote(String(item.fields['Name'] ?? k), out, c.rule.adoField, 'stays empty'));
        }
        baseline[c.rule.id] = { plan: c.conv.normPlan(p), ado };
      }
      if (typeof fields['System.Title'] !== 'string' || fields['System.Title'] === '') {
        fields['System.Title'] = truncate(String(item.fields['Name'] ?? '') || '(untitled task)', TEXT_LIMITS['System.Title']);
        for (const c of mapping.forType(type)) {
          if (c.rule.adoField === 'System.Title') baseline[c.rule.id] = { plan: baseline[c.rule.id]!.plan, ado: c.conv.normAdo(fields['System.Title']) };
        }
      }
      if (scope?.areaPath) fields['System.AreaPath'] = scope.areaPath;
      if (scope?.iterationPath) fields['System.IterationPath'] = scope.iterationPath;
      const adoParentBaseline: ParentRef = parent ?? (projectsOnTop ? { key: `project:${project}` } : null);
      ops.push({
        kind: 'create', id: `create:ado:${linkId}`, side: 'ado', linkId, sourceKey: k, type, level, parent, project,
        fields, marker: markerFor(linkId),
        baseline: { fields: baseline, planParent: parentCreated ?? pp, adoParent: adoParentBaseline },
        ...(refs ? { adoRefs: { planProject: input.planProject, planKey: k, expectedVersion: item.version, ...refs } } : {}),
      });
    });
  }
  if (inactive.length > 0) {
    const names = inactive.slice(0, 5).map((n) => `"${n}"`).join(', ');
    warnings.push(`${inactive.length === 1 ? 'Plan task' : `${inactive.length} plan tasks`} ${names}${inactive.length > 5 ? ' and others' : ''} ${inactive.length === 1 ? 'is' : 'are'} inactive in Project, so ${inactive.length === 1 ? 'it was' : 'they were'} not created in ADO.`);
  }
}

function createOnPlan(input: CreationInput, ops: CreateOp[], warnings: string[], unwritten: UnwrittenNotes): void {
  const { integration, mapping, adoView, links, planProject } = input;
  const limits = (input.limits ?? NO_SIDE_LIMITS).plan;
  const linked = (k: string): boolean => links.planOfAdo(k) !== undefined;
  // Children of a team project are roots of their own, so a project task never drags them along.
  const admit = (k: string): boolean =>
    !isProjectKey(adoView.parent.get(k) ?? '') && includedByOption(integration, integration.creation, adoView.items.get(k)!.type);

  for (const key of adoView.items.keys()) {
    if (linked(key)) continue;
    const ap = adoView.parent.get(key) ?? null;
    // A team project is transparent: its top-level items are roots whether or not it is linked yet.
    const isRoot = ap === null || linked(ap) || isProjectKey(ap);
    if (!isRoot) continue;
    if (ap !== null && links.retired?.('ado', ap)) {
      warnings.push(`Work item ${key} "${String(adoView.items.get(key)!.fields['System.Title'] ?? '')}" is under a work item that ${integration.scope.plan.tasks === 'flagged' ? 'is not synced (unlinked on purpose, or its plan task is not flagged)' : 'was unlinked on purpose'}, so it was not created in the plan.`);
      continue;
    }
    const parentTask = ap !== null && !isProjectKey(ap) ? links.planOfAdo(ap) : undefined;
    if (parentTask !== undefined && !input.planView.items.has(parentTask)) {
      // The parent's plan task is gone (its deletion awaits a decision): children wait for it.
      warnings.push(`Work item ${key} "${String(adoView.items.get(key)!.fields['System.Title'] ?? '')}" waits to be created in the plan until the deletion of its parent's task is decided.`);
      continue;
    }
    const offset = ap !== null && isProjectKey(ap) && !linked(ap) ? 1 : 0; // after the new project task
    walk(key, adoView, linked, admit, (k, depth, parentCreated) => {
      const level = depth + offset;
      const item = adoView.items.get(k)!;
      const linkId = linkIdFor(integration.id, 'ado', k);
      const newKey = planKeyFor(linkId);
      const parentAdo = parentCreated ?? ap;
      const parentPlan = parentAdo === null ? null : links.planOfAdo(parentAdo) ?? planKeyFor(linkIdFor(integration.id, 'ado', parentAdo));
      const fields: Record<string, FieldValue> = {};
      const baseline: Record<string, SideValues> = {};
      // A new task that gets subtasks in this run is a summary task: Project rolls its values up.
      const summary = (adoView.children.get(k) ?? []).some((kid) => !linked(kid) && admit(kid));
      if (item.type === TEAM_PROJECT_TYPE) fields['Name'] = String(item.fields['System.Title']);
      else {
        const unwrittenValues: Record<string, FieldValue> = {};
        for (const c of mapping.forType(item.type)) {
          const a = item.fields[c.rule.adoField];
          let plan: FieldValue = c.conv.normPlan(null);
          const why = c.toPlan ? whyNotWritable(limits, c.rule.planField, summary) : null;
          if (why) {
            const out = c.conv.toPlan(a, undefined);
            if (out.ok) unwrittenValues[c.rule.planField] ??= out.value;
            if (meaningful(a)) unwritten.add('plan', c.rule.planField, why);
          } else if (c.toPlan) {
            const out = c.conv.toPlan(a, undefined);
            if (out.ok) {
              fields[c.rule.planField] = out.value;
              plan = c.conv.normPlan(out.value);
            } else warnings.push(fieldNote(String(item.fields['System.Title'] ?? k), out, c.rule.planField, 'stays empty'));
          }
          baseline[c.rule.id] = { plan, ado: c.conv.normAdo(a) };
        }
        if (!whyNotWritable(limits, 'Work', summary)) fillWork(fields, unwrittenValues);
      }
      if (item.type !== TEAM_PROJECT_TYPE && input.refs) Object.assign(fields, refValues(input.refs, k, input.workItemUrl));
      // A task created in a "flagged tasks only" integration is flagged, or it would leave the scope it came in by.
      const { tasks, flagField } = integration.scope.plan;
      if (tasks === 'flagged' && flagField !== undefined) fields[flagField] = true;
      if (typeof fields['Name'] !== 'string' || fields['Name'] === '') {
        fields['Name'] = truncate(String(item.fields['System.Title'] ?? '') || `Work item ${k}`, TEXT_LIMITS['Name']);
        for (const c of item.type === TEAM_PROJECT_TYPE ? [] : mapping.forType(item.type)) {
          if (c.rule.planField === 'Name') baseline[c.rule.id] = { plan: c.conv.normPlan(fields['Name']), ado: baseline[c.rule.id]!.ado };
        }
      }
      ops.push({
        kind: 'create', id: `create:plan:${linkId}`, side: 'plan', linkId, sourceKey: k, type: item.type, level,
        parent: parentPlan === null ? null : { key: parentPlan }, project: planProject, fields, marker: newKey,
        baseline: { fields: baseline, planParent: parentPlan, adoParent: parentAdo === null ? null : { key: parentAdo } },
      });
    });
  }
}
