import type { FieldValue } from '../model.js';

/** Which way one rule lets a value travel; intersected with the integration's direction. */
export type RuleDirection = 'both' | 'planToAdo' | 'adoToPlan';

/**
 * Named conversions between a plan field and an ADO field (see ./convert.ts):
 * text (with length limits), number, work (PWA "208h" <-> hours), duration (PWA "5d" <-> days),
 * date (plan calendar date <-> ADO instant, no day shift), html (plain text <-> HTML),
 * identity (resource name <-> identity via the integration's identity map).
 * A rule with a value map converts through the map instead.
 */
export type TransformName = 'text' | 'number' | 'work' | 'duration' | 'date' | 'html' | 'identity';
export const TRANSFORM_NAMES: readonly TransformName[] = ['text', 'number', 'work', 'duration', 'date', 'html', 'identity'];

/** A plan value (or inclusive numeric range) and the ADO value it corresponds to. */
export interface ValueRule {
  /** Omitted: this entry only reads ADO values (e.g. Resolved -> 100%). */
  readonly plan?: FieldValue | { readonly min: number; readonly max: number };
  readonly ado: FieldValue;
  /** Value written to the plan for this ADO value; defaults to `plan` (or the range's min). */
  readonly planValue?: FieldValue;
}

export interface MappingRule {
  readonly id: string;
  readonly planField: string;
  readonly adoField: string;
  readonly direction: RuleDirection;
  readonly active: boolean;
  readonly transform?: TransformName;
  readonly valueMap?: readonly ValueRule[];
  /** ADO work item types this rule applies to; omitted = all types. */
  readonly appliesTo?: readonly string[];
}
