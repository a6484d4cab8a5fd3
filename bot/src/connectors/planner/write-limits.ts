import type { PlanWriteLimits } from '../ppm.js';

/**
 * What Planner premium's scheduling service computes, by the plan-side field names
 * (adapters/plan-side.ts), so PlanBridge never writes it ("Write rules and limits" in
 * ../shared/notes/planner-premium.md): completed and remaining effort follow effort and progress,
 * a summary task's dates, effort and progress roll up from its subtasks, and assignments are not
 * written by PlanBridge.
 */
export const PLANNER_WRITE_LIMITS: PlanWriteLimits = {
  readOnly: {
    RemainingWork: 'Planner premium computes remaining effort from the effort and the progress',
    ActualWork: 'Planner premium computes completed effort from the effort and the progress',
    ResourceNames: 'PlanBridge does not assign people in Planner premium; assign them in the plan',
  },
  rolledUp: {
    Start: 'Planner premium rolls a summary task\'s dates up from its subtasks',
    Finish: 'Planner premium rolls a summary task\'s dates up from its subtasks',
    Duration: 'Planner premium rolls a summary task\'s dates up from its subtasks',
    Work: 'Planner premium adds a summary task\'s effort up from its subtasks',
    PercentComplete: 'Planner premium rolls a summary task\'s progress up from its subtasks',
  },
  // The schedule APIs cannot clear msdyn_parenttask (operations.ts refuses it before sending).
  noMoveToTop: 'Planner premium cannot move a task back to the top level of a plan',
};
