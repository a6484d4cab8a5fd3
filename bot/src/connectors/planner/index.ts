export { PlannerConnector, type PlannerConnectorOptions } from './connector.js';
export { PLANNER_WRITE_LIMITS } from './write-limits.js';
export { BUCKET_FIELD, PRIORITY_FIELD, SPRINT_FIELD } from './mapping.js';
