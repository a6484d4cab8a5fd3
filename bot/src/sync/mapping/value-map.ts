import type { FieldValue } from '../model.js';
import type { ValueRule } from './rule.js';

/** Value maps such as % complete -> State: the first entry matching wins, in each direction. */
function matchesPlan(rule: ValueRule, value: FieldValue): boolean {
  const p = rule.plan;
  if (p === undefined) return false;
  if (p !== null && typeof p === 'object') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    return n >= p.min && n <= p.max;
  }
  return sameScalar(p, value);
}

function sameScalar(a: FieldValue, b: FieldValue): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'number' || typeof b === 'number') return a !== null && b !== null && Number(a) === Number(b);
  return a === b;
}

export function mapPlanToAdo(rules: readonly ValueRule[], value: FieldValue): FieldValue | undefined {
  for (const rule of rules) if (matchesPlan(rule, value)) return rule.ado;
  return undefined;
}

/** The plan value for an ADO value; a plan value already inside the matching range is kept. */
export function mapAdoToPlan(rules: readonly ValueRule[], value: FieldValue, currentPlan: FieldValue): FieldValue | undefined {
  for (const rule of rules) {
    if (!sameScalar(rule.ado, value)) continue;
    if (rule.plan !== undefined && matchesPlan(rule, currentPlan)) return currentPlan;
    if (rule.planValue !== undefined) return rule.planValue;
    if (rule.plan !== undefined) return rule.plan !== null && typeof rule.plan === 'object' ? rule.plan.min : rule.plan;
  }
  return undefined;
}
