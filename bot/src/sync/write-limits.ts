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
}

export const NO_LIMITS: WriteLimits = { readOnly: {}, rolledUp: {} };

export interface SideLimits {
  readonly plan: WriteLimits;
  readonly ado: WriteLimits;
}

export const NO_SIDE_LIMITS: SideLimits = { plan: NO_LIMITS, ado: NO_LIMITS };

/** Why `field` cannot be written on an item (with or without children), or null when it can. */
export function whyNotWritable(limits: WriteLimits, field: string, hasChildren: boolean): string | null {
  return limits.readOnly[field] ?? (hasChildren ? limits.rolledUp[field] ?? null : null);
}

/** Whether an engine item has children on its side (summary tasks; work items with child links). */
export type HasChildren = (item: Item) => boolean;
