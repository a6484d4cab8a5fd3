import type { SimCustomField, SimState } from './model.js';

/**
 * The demo's Outlook flags: as soon as the "Create event" task field exists (made by PlanBridge's
 * "Create fields" through CustomFields/Add), three Apollo tasks with assignments say Yes, so the
 * seed article's journey works without editing the plan by hand. One person, one pair, and one
 * task with notes, so events show attendees, all-day spans and bodies.
 */
export const CREATE_EVENT_FIELD_NAME = 'Create event';
export const DEMO_EVENT_TASKS = ['Stakeholder interviews', 'Design API contract', 'Implement endpoints'] as const;

export function flagDemoEventTasks(state: SimState, field: SimCustomField): void {
  if (field.Name !== CREATE_EVENT_FIELD_NAME || field.EntityTypeId !== state.entityTypes.TaskEntity) return;
  const apollo = state.projects.find((p) => p.Name === 'Apollo');
  if (!apollo) return;
  for (const task of apollo.tasks) {
    if ((DEMO_EVENT_TASKS as readonly string[]).includes(task.Name) && task.assignments.length > 0) task.custom[field.Id] = true;
  }
}
