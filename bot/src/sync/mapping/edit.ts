/**
 * Editing a rule list: add, edit, delete, reorder, toggle, reset. Every operation is pure and
 * returns either the new list or a problem phrased so the user knows what to change.
 */
import type { ProcessName } from '../processes.js';
import { defaultRules } from './defaults.js';
import { TRANSFORM_NAMES, type MappingRule, type RuleDirection } from './rule.js';

export type RuleEdit = { readonly ok: true; readonly rules: MappingRule[] } | { readonly ok: false; readonly problem: string };
export type RuleDraft = Omit<MappingRule, 'id'> & { readonly id?: string };

const ADO_REFERENCE_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/;
const DIRECTIONS: readonly RuleDirection[] = ['both', 'planToAdo', 'adoToPlan'];

export function describeRule(rule: MappingRule): string {
  const arrow = rule.direction === 'both' ? '<->' : rule.direction === 'planToAdo' ? '->' : '<-';
  return `${rule.planField} ${arrow} ${rule.adoField}${rule.appliesTo ? ` (${rule.appliesTo.join(', ')})` : ''}`;
}

/** Problems with one rule on its own. */
export function ruleProblem(rule: MappingRule): string | null {
  if (rule.planField.trim() === '') return 'Say which plan field the rule reads, for example Name or Finish.';
  if (!ADO_REFERENCE_NAME.test(rule.adoField)) {
    return `"${rule.adoField}" is not an ADO field reference name; use names like System.Title or Custom.Budget (see the field list in Organization settings > Process).`;
  }
  if (!DIRECTIONS.includes(rule.direction)) return `Direction must be one of ${DIRECTIONS.join(', ')}.`;
  if (rule.transform !== undefined && !TRANSFORM_NAMES.includes(rule.transform)) {
    return `Unknown conversion "${rule.transform}"; choose one of ${TRANSFORM_NAMES.join(', ')}.`;
  }
  if (rule.valueMap !== undefined) {
    if (rule.valueMap.length === 0) return `The value map of ${describeRule(rule)} is empty; add at least one "plan value = ADO value" pair or remove the map.`;
    for (const entry of rule.valueMap) {
      const p = entry.plan;
      if (p !== null && typeof p === 'object' && !(p.min <= p.max)) return `In ${describeRule(rule)}, the range ${p.min}..${p.max} is empty; put the smaller number first.`;
      if (p === undefined && entry.planValue === undefined) return `In ${describeRule(rule)}, ADO value ${JSON.stringify(entry.ado)} needs the plan value it stands for.`;
    }
  }
  if (rule.appliesTo !== undefined && rule.appliesTo.length === 0) return `${describeRule(rule)} applies to no work item type; list at least one, or none for all types.`;
  return null;
}

function overlaps(a: MappingRule, b: MappingRule): boolean {
  if (!a.appliesTo || !b.appliesTo) return true;
  return a.appliesTo.some((t) => b.appliesTo!.includes(t));
}

/** Problems with the list as a whole: duplicate ids, and two active rules writing one field. */
export function rulesProblem(rules: readonly MappingRule[]): string | null {
  const ids = new Set<string>();
  for (const [i, rule] of rules.entries()) {
    if (ids.has(rule.id)) return `Two rules have the id "${rule.id}".`;
    ids.add(rule.id);
    const own = ruleProblem(rule);
    if (own) return `Rule ${i + 1}: ${own}`;
  }
  const active = rules.filter((r) => r.active);
  for (let i = 0; i < active.length; i++) {
    for (let j = i + 1; j < active.length; j++) {
      const a = active[i]!;
      const b = active[j]!;
      if (!overlaps(a, b)) continue;
      const bothToAdo = a.direction !== 'adoToPlan' && b.direction !== 'adoToPlan' && a.adoField === b.adoField;
      const bothToPlan = a.direction !== 'planToAdo' && b.direction !== 'planToAdo' && a.planField === b.planField;
      if (bothToAdo || bothToPlan) {
        const field = bothToAdo ? a.adoField : a.planField;
        return `"${describeRule(a)}" and "${describeRule(b)}" both write ${field} for the same work item types; switch one off, narrow its types, or make it one-way.`;
      }
    }
  }
  return null;
}

function checked(rules: MappingRule[]): RuleEdit {
  const problem = rulesProblem(rules);
  return problem ? { ok: false, problem } : { ok: true, rules };
}

function indexOf(rules: readonly MappingRule[], id: string): number | RuleEdit {
  const i = rules.findIndex((r) => r.id === id);
  return i >= 0 ? i : { ok: false, problem: `There is no rule "${id}"; list the rules to see their ids.` };
}

export function addRule(rules: readonly MappingRule[], draft: RuleDraft, atIndex = rules.length): RuleEdit {
  let id = draft.id;
  if (id === undefined) {
    let n = rules.length + 1;
    while (rules.some((r) => r.id === `rule-${n}`)) n++;
    id = `rule-${n}`;
  }
  const next = [...rules];
  next.splice(Math.max(0, Math.min(atIndex, rules.length)), 0, { ...draft, id });
  return checked(next);
}

export function editRule(rules: readonly MappingRule[], id: string, patch: Partial<Omit<MappingRule, 'id'>>): RuleEdit {
  const i = indexOf(rules, id);
  if (typeof i !== 'number') return i;
  const next = [...rules];
  next[i] = { ...rules[i]!, ...patch, id };
  return checked(next);
}

export function deleteRule(rules: readonly MappingRule[], id: string): RuleEdit {
  const i = indexOf(rules, id);
  if (typeof i !== 'number') return i;
  return { ok: true, rules: rules.filter((r) => r.id !== id) };
}

/** Moves a rule to `toIndex` (0-based; clamped), keeping the others in order. */
export function moveRule(rules: readonly MappingRule[], id: string, toIndex: number): RuleEdit {
  const i = indexOf(rules, id);
  if (typeof i !== 'number') return i;
  if (!Number.isInteger(toIndex)) return { ok: false, problem: `Position ${toIndex} is not a whole number.` };
  const next = [...rules];
  const [rule] = next.splice(i, 1);
  next.splice(Math.max(0, Math.min(toIndex, next.length)), 0, rule!);
  return { ok: true, rules: next };
}

/** Switches a rule on or off (flips it when `active` is omitted). */
export function toggleRule(rules: readonly MappingRule[], id: string, active?: boolean): RuleEdit {
  const i = indexOf(rules, id);
  if (typeof i !== 'number') return i;
  return editRule(rules, id, { active: active ?? !rules[i]!.active });
}

export function resetRules(process: ProcessName): RuleEdit {
  return { ok: true, rules: defaultRules(process) };
}
