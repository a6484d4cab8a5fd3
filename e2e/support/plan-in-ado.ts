import { expect } from 'vitest';
import type { AdoSimulator } from '../../sim/ado/server.js';
import type { Row } from '../../sim/dataverse/store.js';

/**
 * Black-box check of a Planner premium plan synced to ADO project Phoenix: every task of the plan
 * is one work item tagged by PlanBridge, added in this journey, under the work item of its plan
 * parent (and, given `levels`, of the type its outline level maps to). Returns the items by title.
 */
export function expectPlanInPhoenix(ado: AdoSimulator, tasks: Row[], added: { itemsAtStart: number; planned: number }, levels?: string[]) {
  const phoenix = ado.state.projects.find((p) => p.name === 'Phoenix')!;
  const ours = [...ado.state.items.values()].filter((w) => w.projectId === phoenix.id && !w.deleted && String(w.fields['System.Tags'] ?? '').includes('planbridge:'));
  expect(ours).toHaveLength(tasks.length);
  expect(ado.state.items.size - added.itemsAtStart).toBe(added.planned);
  const byTitle = new Map(ours.map((w) => [String(w.fields['System.Title']), w]));
  expect(byTitle.size).toBe(tasks.length);
  const parents = new Set(tasks.map((t) => t._msdyn_parenttask_value).filter(Boolean));
  for (const task of tasks) {
    const name = String(task.msdyn_subject);
    const item = byTitle.get(name);
    expect(item, `work item for "${name}"`).toBeDefined();
    if (levels) {
      const summary = parents.has(task.msdyn_projecttaskid);
      expect(item!.fields['System.WorkItemType'], `type of "${name}"`).toBe(summary ? levels[Number(task.msdyn_outlinelevel) - 1] : 'Task');
    }
    const parentRel = item!.relations.find((r) => r.rel === 'System.LinkTypes.Hierarchy-Reverse');
    const parentId = parentRel ? Number(/(\d+)$/.exec(parentRel.url)![1]) : null;
    const parentTask = tasks.find((t) => t.msdyn_projecttaskid === task._msdyn_parenttask_value);
    expect(parentId, `parent of "${name}"`).toBe(parentTask ? byTitle.get(String(parentTask.msdyn_subject))!.id : null);
  }
  expect(byTitle.get('Discovery and design')!.fields['System.WorkItemType']).toBe('Epic');
  expect(byTitle.get('Provision Kubernetes cluster')!.fields).toMatchObject({ 'System.WorkItemType': 'Task', 'Microsoft.VSTS.Scheduling.OriginalEstimate': 40 });
  return byTitle;
}
