/**
 * Words users see for fields and for values that could not be carried across. Field reference
 * names (System.AssignedTo, ResourceNames) mean nothing to most people; these are the names the
 * ADO work item form and Project show.
 */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  'System.Title': 'Title',
  'System.AssignedTo': 'Assigned To',
  'System.State': 'State',
  'System.Description': 'Description',
  'System.AreaPath': 'Area Path',
  'System.IterationPath': 'Iteration Path',
  'System.Tags': 'Tags',
  'Microsoft.VSTS.Scheduling.StartDate': 'Start Date',
  'Microsoft.VSTS.Scheduling.TargetDate': 'Target Date',
  'Microsoft.VSTS.Scheduling.FinishDate': 'Finish Date',
  'Microsoft.VSTS.Scheduling.OriginalEstimate': 'Original Estimate',
  'Microsoft.VSTS.Scheduling.RemainingWork': 'Remaining Work',
  'Microsoft.VSTS.Scheduling.CompletedWork': 'Completed Work',
  'Microsoft.VSTS.Scheduling.StoryPoints': 'Story Points',
  'Microsoft.VSTS.Scheduling.Effort': 'Effort',
  'Microsoft.VSTS.Common.Priority': 'Priority',
  Name: 'Task Name',
  ResourceNames: 'Resource Names',
  PercentComplete: '% Complete',
  RemainingWork: 'Remaining Work',
  ActualWork: 'Actual Work',
  Work: 'Work',
  Duration: 'Duration',
  Start: 'Start',
  Finish: 'Finish',
  Notes: 'Notes',
};

/** The display name of a field; unknown ones lose their namespace (Custom.RiskLevel -> RiskLevel). */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field.split('.').at(-1) ?? field;
}

/** Told to the user when a resource has no ADO user; the preview offers that button. */
export const MATCH_PEOPLE_HINT = 'Use "Match people" to pick one.';

/** The clause convert.ts uses for a resource without an ADO user. */
export const noAdoUser = (resource: string): string => `no Azure DevOps user matches "${resource}"`;

/** Whether a plan warning is about a resource without an ADO user (with or without the hint). */
export function needsPeopleMatch(warning: string): boolean {
  return warning.includes(MATCH_PEOPLE_HINT) || /: no Azure DevOps user matches "/.test(warning);
}

/** `"Dashboard screens": <problem>, so Assigned To stays empty. <hint>` */
export function fieldNote(title: string, problem: { problem: string; hint?: string }, field: string, outcome: 'stays empty' | 'stays as it is'): string {
  return `"${title}": ${problem.problem}, so ${fieldLabel(field)} ${outcome}.${problem.hint ? ` ${problem.hint}` : ''}`;
}
