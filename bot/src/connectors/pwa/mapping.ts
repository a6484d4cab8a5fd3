import type { PlanEntity, PlanFieldType, PlanProject } from '../ppm.js';
import { fromPwaDate } from './dates.js';
import type { Row } from './client.js';

/** PS.CustomFieldType codes and the PS.ProjectType that marks an inactive (archived) project. */
export const PWA_FIELD_TYPES: Record<PlanFieldType, number> = {
  date: 4, duration: 6, cost: 9, number: 15, flag: 17, text: 21, finishdate: 27,
};
export const PROJECT_TYPE_INACTIVE = 1000;

export function fieldTypeName(code: number): PlanFieldType | null {
  const hit = Object.entries(PWA_FIELD_TYPES).find(([, v]) => v === code);
  return hit ? (hit[0] as PlanFieldType) : null;
}

export const ENTITY_NAVS: Record<PlanEntity, string> = {
  project: 'ProjectEntity', task: 'TaskEntity', resource: 'ResourceEntity', assignment: 'AssignmentEntity',
};

export const PROJECT_SELECT = [
  'Id', 'Name', 'StartDate', 'FinishDate', 'LastPublishedDate', 'IsCheckedOut', 'CheckOutDescription', 'ProjectType', 'MinutesPerDay',
  'CheckedOutBy/Title',
].join(',');

export function toPlanProject(row: Row): PlanProject {
  const by = row.CheckedOutBy as Row | null | undefined;
  const description = typeof row.CheckOutDescription === 'string' ? row.CheckOutDescription : '';
  return {
    id: String(row.Id),
    name: String(row.Name ?? ''),
    start: fromPwaDate(row.StartDate),
    finish: fromPwaDate(row.FinishDate),
    lastPublished: fromPwaDate(row.LastPublishedDate),
    archived: Number(row.ProjectType) === PROJECT_TYPE_INACTIVE,
    checkedOut: row.IsCheckedOut === true,
    checkedOutBy: row.IsCheckedOut === true ? (typeof by?.Title === 'string' ? by.Title : description.replace(/^Checked out by /, '') || null) : null,
    minutesPerDay: Number(row.MinutesPerDay) > 0 ? Number(row.MinutesPerDay) : 480,
  };
}

/** `Custom_{hex}` (InternalName) to the task property name `Custom_x005f_{hex}`. */
export function taskPropertyName(internalName: string): string {
  return internalName.replace(/^Custom_(?!x005f_)/, 'Custom_x005f_');
}

export function guidToHex(id: string): string {
  return id.replace(/[-{}]/g, '').toLowerCase();
}
