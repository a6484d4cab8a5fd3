/**
 * What a system does not let PlanBridge write. Project computes some task values itself (remaining
 * and actual work from work and % complete; a summary task's dates, work and % complete from its
 * subtasks), and ADO sets some fields by process rules. The engine never writes such a value into
 * the side that computes it: the preview names it instead, and the other side may still receive it
 * where an active rule says so.
 */
import type { Item } from './model.js';

export interface WriteLimits {
  /** Field -> why it is never written on this side (a clause: "Project computes it from Work and % complete"). */
  readonly readOnly: Readonly<Record<string, string>>;
  /** Field -> why it is never written on an item that has children (rolled up from them). */
  readonly rolledUp: Readonly<Record<string, string>>;
  /**
   * Item type -> the fields it has, where the system says (ADO work item types). A field the type
   * lacks is never written: ADO refuses the whole write (TF51535), losing the values that fit.
   */
  readonly fieldsByType?: Readonly<Record<string, readonly string[]>>;
  /** Item type -> the states it has (ADO refuses any other, TF401320). */
  readonly statesByType?: Readonly<Record<string, readonly string[]>>;
  /** Project -> the work item types it has (a task's "ADO Work Item Type" must be one). Absent: not known. */
  readonly typesByProject?: Readonly<Record<string, readonly string[]>>;
  /**
   * Why an item that has a parent can never be moved to the top level on this side, when it cannot
   * (Planner premium's schedule APIs cannot clear a task's parent). Absent: it can.
   */
  readonly noMoveToTop?: string;
}

/** Why `value` cannot be the state of an item of `type`, or null. */
export function whyNotAState(limits: WriteLimits, field: string, value: unknown, type: string): string | null {
  const states = field === 'System.State' ? limits.statesByType?.[type] : undefined;
  if (!states || typeof value !== 'string' || states.includes(value)) return null;
  return `a ${type} has no state "${value}" (its states: ${states.join(', ')}); add a value rule for it in the mapping`;
}

export const NO_LIMITS: WriteLimits = { readOnly: {}, rolledUp: {} };

export interface SideLimits {
  readonly plan: WriteLimits;
  readonly ado: WriteLimits;
}

export const NO_SIDE_LIMITS: SideLimits = { plan: NO_LIMITS, ado: NO_LIMITS };

/** Why `field` cannot be written on an item of `type` (with or without children), or null when it can. */
export function whyNotWritable(limits: WriteLimits, field: string, hasChildren: boolean, type?: string): string | null {
  const known = type !== undefined ? limits.fieldsByType?.[type] : undefined;
  if (known && !known.includes(field)) return `a ${type} has no such field in this project's process`;
  return limits.readOnly[field] ?? (hasChildren ? limits.rolledUp[field] ?? null : null);
}

/** Whether an engine item has children on its side (summary tasks; work items with child links). */
export type HasChildren = (item: Item) => boolean;
