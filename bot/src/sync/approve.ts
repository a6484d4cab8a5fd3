/**
 * Approval: the user's choices on conflicts, hierarchy mismatches, deletions and proposed pairs
 * turn a SyncPlan into the exact list of writes the executor performs. Approval names the plan hash
 * it saw, so a plan that changed since the preview cannot be approved by mistake.
 *
 * Proposed pairs ("Link existing"): `link` applies the pair's link and the creations that go with
 * it; `apart` the creations of both items and what is below them; `skip` neither. With no choice a
 * pair is skipped: nothing is linked or created for it until a person has seen it (the preview card
 * presets "link", so an approver who leaves it as shown links it). A pair whose parents are only
 * proposed too follows them unless they are linked: kept apart with them, skipped with them.
 */
import type { FieldValue, SideValues } from './model.js';
import {
  hashPlan, type BaselinePatch, type BaselineRefresh, type Choice, type DeletionChoice, type Operation, type ParentRef,
  type MatchChoice, type SyncPlan, type UpdateOp,
} from './plan.js';

export interface PlanChoices {
  readonly conflicts?: Readonly<Record<string, Choice>>;
  readonly hierarchy?: Readonly<Record<string, Choice>>;
  readonly deletions?: Readonly<Record<string, DeletionChoice>>;
  /** Proposed pairs by id; a pair with no choice is skipped. */
  readonly matches?: Readonly<Record<string, MatchChoice>>;
}

const MATCH_CHOICES: readonly MatchChoice[] = ['link', 'apart', 'skip'];

export interface ApprovedPlan {
  readonly integrationId: string;
  /** The hash of the plan that was previewed and approved. */
  readonly planHash: string;
  readonly operations: readonly Operation[];
  readonly refresh: readonly BaselineRefresh[];
  /** Conflicts and mismatches left for a later run, by id. */
  readonly skipped: readonly string[];
}

export type Approval = { readonly ok: true; readonly plan: ApprovedPlan } | { readonly ok: false; readonly problem: string };

export function approvePlan(plan: SyncPlan, approvedHash: string, choices: PlanChoices = {}): Approval {
  if (hashPlan(plan) !== plan.hash) return { ok: false, problem: 'This plan was altered after it was made; make a fresh preview.' };
  if (approvedHash !== plan.hash) return { ok: false, problem: 'The preview you approved is not the current plan; look at the fresh preview and approve that one.' };

  const conflicts = new Map(plan.conflicts.map((c) => [c.id, c]));
  const mismatches = new Map(plan.hierarchy.map((h) => [h.id, h]));
  const deletions = new Map(plan.deletions.map((d) => [d.id, d]));
  for (const [id, choice] of Object.entries(choices.conflicts ?? {})) {
    const c = conflicts.get(id);
    if (!c) return { ok: false, problem: `There is no conflict "${id}" in this plan.` };
    if (choice !== 'skip' && !c.resolutions[choice]) return { ok: false, problem: `"${c.title}" (${c.planField}/${c.adoField}) cannot keep the ${choice === 'plan' ? 'plan' : 'ADO'} value here; choose the other side or skip.` };
  }
  for (const [id, choice] of Object.entries(choices.hierarchy ?? {})) {
    const h = mismatches.get(id);
    if (!h) return { ok: false, problem: `There is no hierarchy mismatch "${id}" in this plan.` };
    if (choice !== 'skip' && !h.resolutions[choice]) return { ok: false, problem: `The parent of "${h.title}" cannot follow the ${choice === 'plan' ? 'plan' : 'ADO'} side here; choose the other side or skip.` };
  }
  for (const [id, choice] of Object.entries(choices.deletions ?? {})) {
    const d = deletions.get(id);
    if (!d) return { ok: false, problem: `There is no deletion "${id}" in this plan.` };
    if (!d.allowed.includes(choice)) return { ok: false, problem: `For "${d.survivor?.title ?? d.linkId}" you can choose ${d.allowed.join(', ')}.` };
  }

  const matches = new Map((plan.matches ?? []).map((m) => [m.id, m]));
  for (const [id, choice] of Object.entries(choices.matches ?? {})) {
    const m = matches.get(id);
    if (!m) return { ok: false, problem: `There is no proposed pair "${id}" in this plan.` };
    if (!MATCH_CHOICES.includes(choice)) return { ok: false, problem: `For "${m.planTitle}" you can choose link, apart or skip.` };
  }

  const updates = new Map<string, UpdateOp>();
  const rest: Operation[] = [];
  for (const op of plan.operations) {
    if (op.kind === 'update') updates.set(op.id, op);
    else rest.push(op);
  }
  const upsert = (side: 'ado' | 'plan', key: string, linkId: string, project: string, version: string | number,
    change: { field?: string; value?: unknown; seen?: FieldValue; parent?: ParentRef; seenParent?: string | null; baseline: BaselinePatch }): void => {
    const id = `update:${side}:${key}`;
    const prev: UpdateOp = updates.get(id) ?? { kind: 'update', id, side, linkId, key, project, expectedVersion: version, fields: {}, baseline: {}, seen: {} };
    const fields = change.field === undefined ? prev.fields : { ...prev.fields, [change.field]: change.value as never };
    const seen = change.field === undefined || !prev.seen ? prev.seen : { ...prev.seen, [change.field]: change.seen ?? null };
    const baseline: BaselinePatch = {
      ...prev.baseline, ...change.baseline,
      fields: { ...(prev.baseline.fields ?? {}), ...(change.baseline.fields ?? {}) },
    };
    updates.set(id, {
      ...prev, fields, baseline, ...(seen ? { seen } : {}),
      ...(change.parent !== undefined ? { parent: change.parent, ...(change.seenParent !== undefined ? { seenParent: change.seenParent } : {}) } : {}),
    });
  };

  const skipped: string[] = [];
  for (const c of plan.conflicts) {
    const choice = choices.conflicts?.[c.id] ?? c.choice ?? 'skip';
    const r = choice === 'skip' ? null : c.resolutions[choice];
    if (!r) { skipped.push(c.id); continue; }
    const fields: Record<string, SideValues> = { [c.ruleId]: r.baseline };
    upsert(r.side, r.key, c.linkId, r.project, r.expectedVersion, { field: r.field, value: r.value, seen: r.side === 'ado' ? c.ado : c.plan, baseline: { fields } });
  }
  for (const h of plan.hierarchy) {
    const choice = choices.hierarchy?.[h.id] ?? h.choice ?? 'skip';
    const r = choice === 'skip' ? null : h.resolutions[choice];
    if (!r) { skipped.push(h.id); continue; }
    upsert(r.side, r.key, h.linkId, r.project, r.expectedVersion, {
      parent: r.parent, seenParent: r.side === 'ado' ? h.adoParent : h.planParent,
      baseline: { planParent: r.baseline.planParent, adoParent: r.baseline.adoParent },
    });
  }
  for (const d of plan.deletions) {
    const choice = choices.deletions?.[d.id] ?? d.choice ?? 'keep';
    if (choice === 'unlink' || (choice === 'propagate' && d.survivor)) rest.push({ kind: 'unlink', id: `unlink:${d.linkId}`, linkId: d.linkId, retire: choice === 'unlink' && d.survivor !== null });
    if (choice === 'propagate' && d.survivor) {
      const s = d.survivor;
      // Project would delete the subtasks with it: move them to the top level first (updates run before deletes).
      for (const child of s.side === 'plan' ? d.children ?? [] : []) {
        upsert('plan', child.key, child.linkId ?? d.linkId, s.project, child.expectedVersion, { parent: null, baseline: { planParent: null } });
      }
      rest.push({ kind: 'delete', id: `delete:${s.side}:${s.key}`, side: s.side, linkId: d.linkId, key: s.key, project: s.project, expectedVersion: s.expectedVersion });
    }
  }
  // Parents come before children in `matches`, so a pair's parents are decided when it is.
  const effective = new Map<string, MatchChoice>();
  for (const m of plan.matches ?? []) {
    const above = m.dependsOn === null ? 'link' : effective.get(m.dependsOn) ?? 'skip';
    const choice = above === 'link' ? choices.matches?.[m.id] ?? 'skip' : above;
    effective.set(m.id, choice);
    if (choice === 'link') rest.push(m.link, ...m.ifLinked);
    else if (choice === 'apart' && above === 'link') rest.push(...m.ifApart); // below a pair kept apart: in its creations already
    else if (choice === 'skip') skipped.push(m.id);
  }
  const operations = [...rest, ...updates.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ok: true, plan: { integrationId: plan.integrationId, planHash: plan.hash, operations, refresh: plan.refresh, skipped } };
}
