/**
 * Three-way field diff for one link: for every mapped field, compare the baseline with what each
 * side holds now. One side changed: push it to the other. Both changed to values that agree:
 * nothing to write, just move the baseline. Both changed otherwise: a Conflict. Values are
 * compared in each rule's normal form, so formatting alone is never a change.
 */
import type { CompiledRule } from './mapping/compile.js';
import { fieldNote } from './mapping/labels.js';
import { agree } from './mapping/convert.js';
import type { FieldValue, Item, Link, SideValues } from './model.js';
import type { Conflict, FieldResolution } from './plan.js';
import { NO_SIDE_LIMITS, whyNotAState, whyNotWritable, type SideLimits } from './write-limits.js';

export interface FieldWrites {
  fields: Record<string, FieldValue>;
  baseline: Record<string, SideValues>;
}

export interface LinkFieldDiff {
  readonly toAdo: FieldWrites | null;
  readonly toPlan: FieldWrites | null;
  readonly conflicts: Conflict[];
  /** Baseline entries to record because both sides already agree. */
  readonly refresh: Record<string, SideValues> | null;
  readonly warnings: string[];
}

export interface LinkContext {
  readonly link: Pick<Link, 'id' | 'baseline'>;
  readonly plan: Item;
  readonly ado: Item;
  readonly planProject: string;
  readonly adoProject: string;
  /** Fields each side computes itself; the diff never writes them there. Default: none. */
  readonly limits?: SideLimits;
  /** Whether each item has children on its side (rolled-up values). */
  readonly planHasChildren?: boolean;
  readonly adoHasChildren?: boolean;
}

/** Why the rule's field cannot be written on `side` for this link, or null. */
function blocked(ctx: LinkContext, side: 'plan' | 'ado', c: CompiledRule): string | null {
  const limits = ctx.limits ?? NO_SIDE_LIMITS;
  return side === 'plan'
    ? whyNotWritable(limits.plan, c.rule.planField, ctx.planHasChildren ?? false)
    : whyNotWritable(limits.ado, c.rule.adoField, ctx.adoHasChildren ?? false, ctx.ado.type);
}

function titleOf(plan: Item, ado: Item): string {
  return String(plan.fields['Name'] ?? ado.fields['System.Title'] ?? plan.key);
}

export function diffLinkFields(ctx: LinkContext, rules: readonly CompiledRule[]): LinkFieldDiff {
  const { link, plan, ado } = ctx;
  let toAdo: FieldWrites | null = null;
  let toPlan: FieldWrites | null = null;
  let refresh: Record<string, SideValues> | null = null;
  const conflicts: Conflict[] = [];
  const warnings: string[] = [];

  // A change the other side will not take, as the preview says ("keeps its value"): once a run is
  // approved the baseline moves on, so it does not come back later as a change nobody just made.
  const acknowledge = (c: CompiledRule, np: FieldValue, na: FieldValue): void => {
    refresh ??= {};
    refresh[c.rule.id] = { plan: np, ado: na };
  };
  const pushAdo = (c: CompiledRule, p: FieldValue | undefined, np: FieldValue): boolean => {
    const why = blocked(ctx, 'ado', c);
    if (why) {
      warnings.push(`"${titleOf(plan, ado)}": ${c.rule.adoField} is not written in ADO (${why}), so it keeps its value.`);
      acknowledge(c, np, c.conv.normAdo(ado.fields[c.rule.adoField]));
      return false;
    }
    const out = c.conv.toAdo(p);
    if (!out.ok) {
      warnings.push(fieldNote(titleOf(plan, ado), out, c.rule.adoField, 'stays as it is'));
      return false;
    }
    const badState = whyNotAState((ctx.limits ?? NO_SIDE_LIMITS).ado, c.rule.adoField, out.value, ado.type);
    if (badState) {
      warnings.push(`"${titleOf(plan, ado)}": ${c.rule.adoField} is not written in ADO (${badState}), so it keeps its value.`);
      acknowledge(c, np, c.conv.normAdo(ado.fields[c.rule.adoField]));
      return false;
    }
    toAdo ??= { fields: {}, baseline: {} };
    toAdo.fields[c.rule.adoField] = out.value;
    toAdo.baseline[c.rule.id] = { plan: np, ado: c.conv.normAdo(out.value) };
    return true;
  };
  const pushPlan = (c: CompiledRule, a: FieldValue | undefined, p: FieldValue | undefined, na: FieldValue): boolean => {
    const why = blocked(ctx, 'plan', c);
    if (why) {
      warnings.push(`"${titleOf(plan, ado)}": ${c.rule.planField} is not written in the plan (${why}), so it keeps its value.`);
      acknowledge(c, c.conv.normPlan(p), na);
      return false;
    }
    const out = c.conv.toPlan(a, p);
    if (!out.ok) {
      warnings.push(fieldNote(titleOf(plan, ado), out, c.rule.planField, 'stays as it is'));
      return false;
    }
    toPlan ??= { fields: {}, baseline: {} };
    toPlan.fields[c.rule.planField] = out.value;
    toPlan.baseline[c.rule.id] = { plan: c.conv.normPlan(out.value), ado: na };
    return true;
  };
  const settle = (c: CompiledRule, p: FieldValue | undefined, a: FieldValue | undefined, np: FieldValue, na: FieldValue, base: SideValues | null): void => {
    if (agree(c.conv, p, a)) {
      refresh ??= {};
      refresh[c.rule.id] = { plan: np, ado: na };
    } else if (c.toAdo && c.toPlan) {
      conflicts.push(conflictFor(ctx, c, p, a, np, na, base));
    } else if (c.toAdo) pushAdo(c, p, np);
    else if (c.toPlan) pushPlan(c, a, p, na);
  };

  const adoFields = (ctx.limits ?? NO_SIDE_LIMITS).ado.fieldsByType?.[ado.type];
  for (const c of rules) {
    // A field the work item's type does not have holds no value to compare: the rule does not apply.
    if (adoFields && !adoFields.includes(c.rule.adoField)) continue;
    const p = plan.fields[c.rule.planField];
    const a = ado.fields[c.rule.adoField];
    const np = c.conv.normPlan(p);
    const na = c.conv.normAdo(a);
    const base = link.baseline.fields[c.rule.id];
    if (base === undefined) {
      settle(c, p, a, np, na, null);
      continue;
    }
    const planChanged = np !== base.plan;
    const adoChanged = na !== base.ado;
    if (planChanged && adoChanged) settle(c, p, a, np, na, base);
    else if (planChanged) {
      if (c.toAdo) pushAdo(c, p, np);
    } else if (adoChanged) {
      if (c.toPlan) pushPlan(c, a, p, na);
    }
  }
  return { toAdo, toPlan, conflicts, refresh, warnings };
}

function conflictFor(
  ctx: LinkContext, c: CompiledRule, p: FieldValue | undefined, a: FieldValue | undefined, np: FieldValue, na: FieldValue, base: SideValues | null,
): Conflict {
  const toAdo = c.conv.toAdo(p);
  const toPlan = c.conv.toPlan(a, p);
  const keepPlan: FieldResolution | null = toAdo.ok && !blocked(ctx, 'ado', c)
    ? { side: 'ado', key: ctx.ado.key, project: ctx.adoProject, expectedVersion: ctx.ado.version, field: c.rule.adoField, value: toAdo.value, baseline: { plan: np, ado: c.conv.normAdo(toAdo.value) } }
    : null;
  const keepAdo: FieldResolution | null = toPlan.ok && !blocked(ctx, 'plan', c)
    ? { side: 'plan', key: ctx.plan.key, project: ctx.planProject, expectedVersion: ctx.plan.version, field: c.rule.planField, value: toPlan.value, baseline: { plan: c.conv.normPlan(toPlan.value), ado: na } }
    : null;
  return {
    id: `conflict:${ctx.link.id}:${c.rule.id}`,
    linkId: ctx.link.id,
    ruleId: c.rule.id,
    planKey: ctx.plan.key,
    adoKey: ctx.ado.key,
    title: titleOf(ctx.plan, ctx.ado),
    planField: c.rule.planField,
    adoField: c.rule.adoField,
    baseline: base,
    plan: p ?? null,
    ado: a ?? null,
    resolutions: { plan: keepPlan, ado: keepAdo },
    choice: null,
  };
}
