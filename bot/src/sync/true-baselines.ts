/**
 * True baselines: after a run writes, a link's baseline must be what both sides now really hold,
 * read back after the systems applied their own conversions (units, rounding, working days, dates
 * in the site zone, roll-ups), not what the engine meant to write. Otherwise the next run sees a
 * "change" nobody made and writes it back: the bug where a second run with no edits changed values.
 */
import type { LinkUpdate } from './apply.js';
import type { CompiledMapping } from './mapping/compile.js';
import type { Item, Link, SideValues } from './model.js';
import { whyNotWritable, type WriteLimits } from './write-limits.js';

export interface ReadBack {
  /** Keyed by lower-case task id: plan systems may case GUIDs differently. */
  readonly plan: ReadonlyMap<string, Item>;
  readonly ado: ReadonlyMap<string, Item>;
}

/** The keys each side should be read back for, given the links an apply touched. */
export function readBackKeys(updates: readonly LinkUpdate[], links: readonly Link[]): { plan: string[]; ado: string[] } {
  const byId = new Map(links.map((l) => [l.id, l]));
  const plan = new Set<string>();
  const ado = new Set<string>();
  for (const u of updates) {
    if (Object.keys(u.baseline.fields).length === 0) continue;
    const planKey = u.planKey ?? byId.get(u.linkId)?.planKey;
    const adoKey = u.adoKey ?? byId.get(u.linkId)?.adoKey;
    if (planKey !== undefined) plan.add(planKey);
    if (adoKey !== undefined && /^\d+$/.test(adoKey)) ado.add(adoKey);
  }
  return { plan: [...plan], ado: [...ado] };
}

/**
 * Replaces every patched rule's values with what the sides hold now, in the rule's normal form.
 * A side that could not be read back (deleted meanwhile, or a team project) keeps the engine's value.
 */
export function withTrueBaselines(updates: readonly LinkUpdate[], links: readonly Link[], mapping: CompiledMapping, read: ReadBack): LinkUpdate[] {
  const byId = new Map(links.map((l) => [l.id, l]));
  return updates.map((u) => {
    const planItem = read.plan.get((u.planKey ?? byId.get(u.linkId)?.planKey ?? '').toLowerCase());
    const adoItem = read.ado.get(u.adoKey ?? byId.get(u.linkId)?.adoKey ?? '');
    if (!planItem && !adoItem) return u;
    const fields: Record<string, SideValues> = {};
    for (const [ruleId, meant] of Object.entries(u.baseline.fields)) {
      const c = mapping.byId(ruleId);
      if (!c) {
        fields[ruleId] = meant;
        continue;
      }
      fields[ruleId] = {
        plan: planItem ? c.conv.normPlan(planItem.fields[c.rule.planField]) : meant.plan,
        ado: adoItem ? c.conv.normAdo(adoItem.fields[c.rule.adoField]) : meant.ado,
      };
    }
    return { ...u, baseline: { ...u.baseline, fields } };
  });
}

/** Items by key; plan keys are GUIDs that systems may case differently. */
export function byKey(items: readonly Item[], caseless = false): Map<string, Item> {
  return new Map(items.map((i) => [caseless ? i.key.toLowerCase() : i.key, i]));
}

/**
 * Echoes: plan values that changed because PlanBridge wrote something, not because anyone edited
 * them: a task's remaining work after its work was set, its finish after its start moved (Project
 * keeps the duration), a summary task's roll-ups after a subtask changed. They must not travel back
 * as changes. A written task's mapped fields that changed although not written, and the computed
 * fields of every plan ancestor of one, get their plan values refreshed from the read-back.
 * `written` maps each plan key written in the run (lower case) to the plan fields written;
 * `before` is what the plan held when the run was planned; `parentsOf` gives a task's parent before
 * and after the run (a moved task rolls up into both).
 */
export function echoUpdates(
  links: readonly Link[], mapping: CompiledMapping, planLimits: WriteLimits, read: ReadBack,
  written: ReadonlyMap<string, ReadonlySet<string>>, before: ReadonlyMap<string, Item>, parentsOf: (planKey: string) => ReadonlyArray<string | null>,
): LinkUpdate[] {
  const touched = new Set<string>();
  const queue = [...written.keys()];
  while (queue.length > 0) {
    const k = queue.pop()!;
    if (touched.has(k)) continue;
    touched.add(k);
    for (const p of parentsOf(k)) if (p !== null && !touched.has(p)) queue.push(p);
  }
  const out: LinkUpdate[] = [];
  for (const link of links) {
    const item = read.plan.get(link.planKey.toLowerCase());
    if (!item || !touched.has(link.planKey.toLowerCase())) continue;
    const fields: Record<string, SideValues> = {};
    const key = link.planKey.toLowerCase();
    const wroteHere = written.get(key);
    const was = before.get(key);
    for (const [ruleId, base] of Object.entries(link.baseline.fields)) {
      const c = mapping.byId(ruleId);
      if (!c) continue;
      const now = c.conv.normPlan(item.fields[c.rule.planField]);
      if (now === base.plan) continue;
      // A task that stopped or started being a summary in this run rolled up (or lost) its values.
      const summary = item.type === 'Summary' || was?.type === 'Summary';
      const computed = whyNotWritable(planLimits, c.rule.planField, summary) !== null;
      // A consequence of our write to this very task: the field moved, and we did not write it.
      const consequence = wroteHere !== undefined && !wroteHere.has(c.rule.planField) && was !== undefined && c.conv.normPlan(was.fields[c.rule.planField]) !== now;
      if (computed || consequence) fields[ruleId] = { plan: now, ado: base.ado };
    }
    if (Object.keys(fields).length > 0) out.push({ linkId: link.id, isNew: false, baseline: { fields } });
  }
  return out;
}
