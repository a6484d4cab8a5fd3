import { customPropertyName, type SimProject, type SimTask } from './model.js';
import { EMPTY_GUID } from './view-context.js';
import { durationString, milliseconds, timeSpan, workString } from './wire.js';
import { percentWorkComplete, remainingWork } from './work.js';

/**
 * The properties of PS.PublishedTask / PS.DraftTask, in the order PWA writes them, each computed on
 * its own: a page of tasks selects 19 of them and its parents only `Id`, so a render computes those
 * (views.ts `property`) rather than all of them, the work in three forms each included. The whole
 * set (`props`) is made from the same functions, so the two cannot differ.
 */

type Compute = (t: SimTask, p: SimProject) => unknown;

/** The three forms of one duration-like property, e.g. `Work`, `WorkMilliseconds`, `WorkTimeSpan` (wire.ts). */
function forms(name: string, minutes: (t: SimTask) => number, text: (minutes: number, p: SimProject) => string): Array<[string, Compute]> {
  return [
    [name, (t, p) => text(minutes(t), p)],
    [`${name}Milliseconds`, (t) => milliseconds(minutes(t))],
    [`${name}TimeSpan`, (t) => timeSpan(minutes(t))],
  ];
}

const PROPERTIES = new Map<string, Compute>([
  ['Id', (t) => t.Id],
  ['Name', (t) => t.Name],
  ['OutlineLevel', (t) => t.OutlineLevel],
  ['OutlinePosition', (t) => t.OutlinePosition],
  ['WorkBreakdownStructure', (t) => t.OutlinePosition],
  ['IsSummary', (t) => t.IsSummary],
  ['IsManual', (t) => t.IsManual],
  ['IsMilestone', (t) => t.IsMilestone],
  ['Start', (t) => t.Start],
  ['Finish', (t) => t.Finish],
  ...forms('Duration', (t) => t.DurationMinutes, (m, p) => durationString(m, p.MinutesPerDay)),
  ...forms('Work', (t) => t.WorkMinutes, workString),
  ...forms('ActualWork', (t) => t.ActualWorkMinutes, workString),
  ...forms('RemainingWork', remainingWork, workString),
  ['PercentComplete', (t) => t.PercentComplete],
  ['PercentWorkComplete', (t) => percentWorkComplete(t.WorkMinutes, t.ActualWorkMinutes, t.PercentComplete)],
  ['Deadline', (t) => t.Deadline],
  ['IsActive', (t) => t.IsActive],
  ['TaskType', (t) => t.TaskType],
  ['IsSubProject', (t) => t.IsSubProject ?? false],
  // No contact is ever set in the demo plans; PWA returns null for an empty Contact.
  ['Contact', () => null],
  ['Notes', (t) => t.Notes],
  ['Created', (t) => t.Created],
  ['Modified', (t) => t.Modified],
]);

const PUBLISHED = [...PROPERTIES.keys()];
// A draft task also names its parent (EMPTY_GUID at the top level).
const DRAFT = [...PUBLISHED, 'ParentId'];

/** The task's property names in order: the type's, then a `Custom_x005f_…` for each custom field holding a value. */
export function taskPropertyNames(t: SimTask, draft: boolean): readonly string[] {
  const names = draft ? DRAFT : PUBLISHED;
  const custom = Object.keys(t.custom);
  return custom.length === 0 ? names : [...names, ...custom.map(customPropertyName)];
}

/**
 * One property of the task; `customValue` renders a custom field's stored value (lookups as
 * entry names). Undefined for a name the task does not have.
 */
export function taskProperty(p: SimProject, t: SimTask, draft: boolean, name: string, customValue: (fieldId: string, value: unknown) => unknown): unknown {
  const compute = PROPERTIES.get(name);
  if (compute) return compute(t, p);
  if (name === 'ParentId') return draft ? (t.ParentId ?? EMPTY_GUID) : undefined;
  for (const fieldId in t.custom) {
    if (customPropertyName(fieldId) === name) return customValue(fieldId, t.custom[fieldId]);
  }
  return undefined;
}
