/**
 * True baselines: after a run writes, a link's baseline must be what both sides now really hold,
 * read back after the systems applied their own conversions (units, rounding, working days, dates
 * in the site zone, roll-ups), not what the engine meant to write. Otherwise the next run sees a
 * "change" nobody made and writes it back: the bug where a second run with no edits changed values.
 */
import type { LinkUpdate } from './apply.js';
import type { CompiledMapping } from './mapping/compile.js';
import type { Item, Link, SideValues } from './model.js';

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
