import { PlanConnectorError, type FieldCheck, type PlanFieldDefinition, type RequiredField } from '../ppm.js';
import { BUCKET_FIELD, PRIORITIES, PRIORITY_FIELD, SPRINT_FIELD } from './mapping.js';

/**
 * Planner premium has no enterprise custom fields like PWA's. A mapping can use the plan values
 * PlanBridge exposes as task fields: the bucket and sprint (by name; both per plan, so their
 * entries are not listed here) and the priority.
 */
export const PLANNER_FIELDS: PlanFieldDefinition[] = [
  { id: 'planner:bucket', name: BUCKET_FIELD, type: 'text', entity: 'task', lookupValues: null },
  { id: 'planner:sprint', name: SPRINT_FIELD, type: 'text', entity: 'task', lookupValues: null },
  { id: 'planner:priority', name: PRIORITY_FIELD, type: 'text', entity: 'task', lookupValues: Object.values(PRIORITIES) },
];

const ADVICE = 'Planner premium plans have no custom task fields, so this one cannot exist there. PlanBridge keeps its links in its own store; link the plan with "all tasks" rather than flagged ones.';

/** Each required field, reported missing with what to do instead. */
export function fieldChecks(required: readonly RequiredField[]): FieldCheck[] {
  return required.map((f) => ({ name: f.name, expectedType: f.type, status: 'missing', advice: ADVICE }));
}

export function unsupportedFields(required: readonly RequiredField[]): PlanConnectorError {
  return new PlanConnectorError('invalid-request', `Planner premium plans have no custom task fields, so PlanBridge cannot create ${required.map((f) => `"${f.name}"`).join(', ')}. It does not need them there: links live in PlanBridge's own store, and a mapping can use the plan's ${BUCKET_FIELD}, ${SPRINT_FIELD} and ${PRIORITY_FIELD}.`);
}
