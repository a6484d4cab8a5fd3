import type { SimTask } from './model.js';

/** Positions by task id, per task list; checked on every use, and rebuilt when the list changed. */
const positions = new WeakMap<SimTask[], Map<string, number>>();

/**
 * The task with `id` in `tasks`, as `tasks.find` gives it: a page expands 100 parents and the links
 * expand both ends, and a scan of 5,000 tasks for each is the server's time, not the client's.
 */
export function taskById(tasks: SimTask[], id: string): SimTask | undefined {
  const at = positions.get(tasks)?.get(id);
  if (at !== undefined && tasks[at]?.Id === id) return tasks[at];
  const index = new Map<string, number>();
  tasks.forEach((task, i) => { if (!index.has(task.Id)) index.set(task.Id, i); });
  positions.set(tasks, index);
  const found = index.get(id);
  return found === undefined ? undefined : tasks[found];
}
