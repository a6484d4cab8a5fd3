import type { ProcessName, SimProject } from './model.js';

/**
 * The four system processes as ADO ships them: work item types, their states (with state
 * categories) and backlog levels. Field lists are the ones PlanBridge maps, not every field.
 */
export type StateCategory = 'Proposed' | 'InProgress' | 'Resolved' | 'Completed' | 'Removed';
export type FieldKind = 'string' | 'integer' | 'double' | 'dateTime' | 'plainText' | 'html' | 'treePath' | 'identity' | 'boolean' | 'history';

export interface FieldDef {
  referenceName: string;
  name: string;
  type: FieldKind;
  readOnly: boolean;
}

export interface TypeDef {
  name: string;
  referenceName: string;
  color: string;
  icon: string;
  states: Array<{ name: string; color: string; category: StateCategory }>;
  /** Extra fields beyond the common ones. */
  fields: string[];
}

export interface BacklogDef {
  id: string;
  name: string;
  type: 'portfolio' | 'requirement' | 'task';
  rank: number;
  types: string[];
}

export interface ProcessDef {
  name: ProcessName;
  typeId: string;
  description: string;
  types: TypeDef[];
  backlogs: BacklogDef[];
}

const f = (referenceName: string, name: string, type: FieldKind, readOnly = false): FieldDef => ({ referenceName, name, type, readOnly });

/** Fields known to the simulated organization (GET _apis/wit/fields). */
export const FIELDS: FieldDef[] = [
  f('System.Id', 'ID', 'integer', true),
  f('System.Rev', 'Rev', 'integer', true),
  f('System.TeamProject', 'Team Project', 'string', true),
  f('System.WorkItemType', 'Work Item Type', 'string'),
  f('System.Title', 'Title', 'string'),
  f('System.Description', 'Description', 'html'),
  f('System.State', 'State', 'string'),
  f('System.Reason', 'Reason', 'string'),
  f('System.AssignedTo', 'Assigned To', 'identity'),
  f('System.AreaPath', 'Area Path', 'treePath'),
  f('System.IterationPath', 'Iteration Path', 'treePath'),
  f('System.Tags', 'Tags', 'plainText'),
  f('System.CreatedDate', 'Created Date', 'dateTime', true),
  f('System.CreatedBy', 'Created By', 'identity', true),
  f('System.ChangedDate', 'Changed Date', 'dateTime', true),
  f('System.ChangedBy', 'Changed By', 'identity', true),
  f('System.CommentCount', 'Comment Count', 'integer', true),
  f('System.History', 'History', 'history'),
  f('System.Parent', 'Parent', 'integer', true),
  f('Microsoft.VSTS.Common.Priority', 'Priority', 'integer'),
  f('Microsoft.VSTS.Common.StateChangeDate', 'State Change Date', 'dateTime', true),
  f('Microsoft.VSTS.Common.ValueArea', 'Value Area', 'string'),
  f('Microsoft.VSTS.Common.BusinessValue', 'Business Value', 'integer'),
  f('Microsoft.VSTS.Common.Severity', 'Severity', 'string'),
  f('Microsoft.VSTS.Common.Activity', 'Activity', 'string'),
  f('Microsoft.VSTS.Scheduling.StartDate', 'Start Date', 'dateTime'),
  f('Microsoft.VSTS.Scheduling.FinishDate', 'Finish Date', 'dateTime'),
  f('Microsoft.VSTS.Scheduling.TargetDate', 'Target Date', 'dateTime'),
  f('Microsoft.VSTS.Scheduling.DueDate', 'Due Date', 'dateTime'),
  f('Microsoft.VSTS.Scheduling.StoryPoints', 'Story Points', 'double'),
  f('Microsoft.VSTS.Scheduling.Effort', 'Effort', 'double'),
  f('Microsoft.VSTS.Scheduling.Size', 'Size', 'double'),
  f('Microsoft.VSTS.Scheduling.OriginalEstimate', 'Original Estimate', 'double'),
  f('Microsoft.VSTS.Scheduling.RemainingWork', 'Remaining Work', 'double'),
  f('Microsoft.VSTS.Scheduling.CompletedWork', 'Completed Work', 'double'),
  f('Microsoft.VSTS.TCM.ReproSteps', 'Repro Steps', 'html'),
];

export const FIELD_BY_REF = new Map(FIELDS.map((x) => [x.referenceName.toLowerCase(), x]));

/** Fields every type has. */
export const COMMON_FIELDS = FIELDS.filter((x) => x.referenceName.startsWith('System.')).map((x) => x.referenceName)
  .concat(['Microsoft.VSTS.Common.StateChangeDate']);

const s = (name: string, category: StateCategory, color: string) => ({ name, category, color });
const AGILE_STATES = [s('New', 'Proposed', 'b2b2b2'), s('Active', 'InProgress', '007acc'), s('Resolved', 'Resolved', 'ff9d00'), s('Closed', 'Completed', '339933'), s('Removed', 'Removed', 'ffffff')];
const AGILE_TASK_STATES = [s('New', 'Proposed', 'b2b2b2'), s('Active', 'InProgress', '007acc'), s('Closed', 'Completed', '339933'), s('Removed', 'Removed', 'ffffff')];
const SCRUM_PBI_STATES = [s('New', 'Proposed', 'b2b2b2'), s('Approved', 'Proposed', '5688e0'), s('Committed', 'InProgress', '007acc'), s('Done', 'Completed', '339933'), s('Removed', 'Removed', 'ffffff')];
const SCRUM_TASK_STATES = [s('To Do', 'Proposed', 'b2b2b2'), s('In Progress', 'InProgress', '007acc'), s('Done', 'Completed', '339933'), s('Removed', 'Removed', 'ffffff')];
const SCRUM_PORTFOLIO_STATES = [s('New', 'Proposed', 'b2b2b2'), s('In Progress', 'InProgress', '007acc'), s('Done', 'Completed', '339933'), s('Removed', 'Removed', 'ffffff')];
const CMMI_STATES = [s('Proposed', 'Proposed', 'b2b2b2'), s('Active', 'InProgress', '007acc'), s('Resolved', 'Resolved', 'ff9d00'), s('Closed', 'Completed', '339933')];
const BASIC_STATES = [s('To Do', 'Proposed', 'b2b2b2'), s('Doing', 'InProgress', '007acc'), s('Done', 'Completed', '339933')];

const PLAN = ['Microsoft.VSTS.Common.Priority', 'Microsoft.VSTS.Scheduling.StartDate', 'Microsoft.VSTS.Scheduling.TargetDate'];
const WORK = ['Microsoft.VSTS.Common.Priority', 'Microsoft.VSTS.Common.Activity', 'Microsoft.VSTS.Scheduling.OriginalEstimate', 'Microsoft.VSTS.Scheduling.RemainingWork', 'Microsoft.VSTS.Scheduling.CompletedWork', 'Microsoft.VSTS.Scheduling.StartDate', 'Microsoft.VSTS.Scheduling.FinishDate'];

const t = (name: string, ref: string, color: string, icon: string, states: TypeDef['states'], fields: string[]): TypeDef => ({ name, referenceName: `Microsoft.VSTS.WorkItemTypes.${ref}`, color, icon, states, fields });

export const PROCESSES: Record<ProcessName, ProcessDef> = {
  Agile: {
    name: 'Agile', typeId: 'adcc42ab-9882-485e-a3ed-7678f01f66bc', description: 'This template is flexible and will work great for most teams using Agile planning methods.',
    types: [
      t('Epic', 'Epic', 'FF7B00', 'icon_crown', AGILE_STATES, [...PLAN, 'Microsoft.VSTS.Common.ValueArea', 'Microsoft.VSTS.Common.BusinessValue', 'Microsoft.VSTS.Scheduling.Effort']),
      t('Feature', 'Feature', '773B93', 'icon_trophy', AGILE_STATES, [...PLAN, 'Microsoft.VSTS.Common.ValueArea', 'Microsoft.VSTS.Common.BusinessValue', 'Microsoft.VSTS.Scheduling.Effort']),
      t('User Story', 'UserStory', '009CCC', 'icon_book', AGILE_STATES, ['Microsoft.VSTS.Common.Priority', 'Microsoft.VSTS.Scheduling.StoryPoints', 'Microsoft.VSTS.Scheduling.StartDate', 'Microsoft.VSTS.Scheduling.FinishDate', 'Microsoft.VSTS.Scheduling.TargetDate', 'Microsoft.VSTS.Common.ValueArea']),
      t('Task', 'Task', 'F2CB1D', 'icon_clipboard', AGILE_TASK_STATES, WORK),
      t('Bug', 'Bug', 'CC293D', 'icon_insect', AGILE_STATES.filter((x) => x.name !== 'Removed'), ['Microsoft.VSTS.Common.Priority', 'Microsoft.VSTS.Common.Severity', 'Microsoft.VSTS.Scheduling.StoryPoints', 'Microsoft.VSTS.TCM.ReproSteps', ...WORK.slice(2)]),
    ],
    backlogs: [
      { id: 'Microsoft.EpicCategory', name: 'Epics', type: 'portfolio', rank: 4, types: ['Epic'] },
      { id: 'Microsoft.FeatureCategory', name: 'Features', type: 'portfolio', rank: 3, types: ['Feature'] },
      { id: 'Microsoft.RequirementCategory', name: 'Stories', type: 'requirement', rank: 2, types: ['User Story', 'Bug'] },
      { id: 'Microsoft.TaskCategory', name: 'Tasks', type: 'task', rank: 1, types: ['Task'] },
    ],
  },
  Scrum: {
    name: 'Scrum', typeId: '6b724908-ef14-45cf-84f8-768b5384da45', description: 'This template is for teams who follow the Scrum framework.',
    types: [
      t('Epic', 'Epic', 'FF7B00', 'icon_crown', SCRUM_PORTFOLIO_STATES, [...PLAN, 'Microsoft.VSTS.Common.BusinessValue', 'Microsoft.VSTS.Scheduling.Effort']),
      t('Feature', 'Feature', '773B93', 'icon_trophy', SCRUM_PORTFOLIO_STATES, [...PLAN, 'Microsoft.VSTS.Common.BusinessValue', 'Microsoft.VSTS.Scheduling.Effort']),
      t('Product Backlog Item', 'ProductBacklogItem', '009CCC', 'icon_list', SCRUM_PBI_STATES, ['Microsoft.VSTS.Common.Priority', 'Microsoft.VSTS.Scheduling.Effort', 'Microsoft.VSTS.Common.BusinessValue']),
      t('Task', 'Task', 'F2CB1D', 'icon_clipboard', SCRUM_TASK_STATES, ['Microsoft.VSTS.Common.Activity', 'Microsoft.VSTS.Scheduling.RemainingWork']),
      t('Bug', 'Bug', 'CC293D', 'icon_insect', SCRUM_PBI_STATES, ['Microsoft.VSTS.Common.Priority', 'Microsoft.VSTS.Common.Severity', 'Microsoft.VSTS.Scheduling.Effort', 'Microsoft.VSTS.TCM.ReproSteps']),
    ],
    backlogs: [
      { id: 'Microsoft.EpicCategory', name: 'Epics', type: 'portfolio', rank: 4, types: ['Epic'] },
      { id: 'Microsoft.FeatureCategory', name: 'Features', type: 'portfolio', rank: 3, types: ['Feature'] },
      { id: 'Microsoft.RequirementCategory', name: 'Backlog items', type: 'requirement', rank: 2, types: ['Product Backlog Item', 'Bug'] },
      { id: 'Microsoft.TaskCategory', name: 'Tasks', type: 'task', rank: 1, types: ['Task'] },
    ],
  },
  CMMI: {
    name: 'CMMI', typeId: '27450541-8e31-4150-9947-dc59f998fc01', description: 'This template is for more formal projects requiring a framework for process improvement and an auditable record of decisions.',
    types: [
      t('Epic', 'Epic', 'FF7B00', 'icon_crown', CMMI_STATES, [...PLAN, 'Microsoft.VSTS.Scheduling.Size']),
      t('Feature', 'Feature', '773B93', 'icon_trophy', CMMI_STATES, [...PLAN, 'Microsoft.VSTS.Scheduling.Size']),
      t('Requirement', 'Requirement', '009CCC', 'icon_book', CMMI_STATES, ['Microsoft.VSTS.Common.Priority', 'Microsoft.VSTS.Scheduling.Size', 'Microsoft.VSTS.Scheduling.StartDate', 'Microsoft.VSTS.Scheduling.FinishDate', 'Microsoft.VSTS.Scheduling.DueDate']),
      t('Task', 'Task', 'F2CB1D', 'icon_clipboard', CMMI_STATES, WORK),
      t('Bug', 'Bug', 'CC293D', 'icon_insect', CMMI_STATES, ['Microsoft.VSTS.Common.Priority', 'Microsoft.VSTS.Common.Severity', 'Microsoft.VSTS.TCM.ReproSteps']),
    ],
    backlogs: [
      { id: 'Microsoft.EpicCategory', name: 'Epics', type: 'portfolio', rank: 4, types: ['Epic'] },
      { id: 'Microsoft.FeatureCategory', name: 'Features', type: 'portfolio', rank: 3, types: ['Feature'] },
      { id: 'Microsoft.RequirementCategory', name: 'Requirements', type: 'requirement', rank: 2, types: ['Requirement', 'Bug'] },
      { id: 'Microsoft.TaskCategory', name: 'Tasks', type: 'task', rank: 1, types: ['Task'] },
    ],
  },
  Basic: {
    name: 'Basic', typeId: 'b8a3a935-7e91-48b8-a94c-606d37c3e9f2', description: 'This template is flexible for any process and great for teams getting started with Azure DevOps.',
    types: [
      t('Epic', 'Epic', 'FF7B00', 'icon_crown', BASIC_STATES, [...PLAN, 'Microsoft.VSTS.Scheduling.Effort']),
      t('Issue', 'Issue', '339947', 'icon_clipboard_issue', BASIC_STATES, ['Microsoft.VSTS.Common.Priority', 'Microsoft.VSTS.Scheduling.Effort']),
      t('Task', 'Task', 'F2CB1D', 'icon_clipboard', BASIC_STATES, ['Microsoft.VSTS.Common.Activity', 'Microsoft.VSTS.Scheduling.RemainingWork']),
    ],
    backlogs: [
      { id: 'Microsoft.EpicCategory', name: 'Epics', type: 'portfolio', rank: 3, types: ['Epic'] },
      { id: 'Microsoft.RequirementCategory', name: 'Issues', type: 'requirement', rank: 2, types: ['Issue'] },
      { id: 'Microsoft.TaskCategory', name: 'Tasks', type: 'task', rank: 1, types: ['Task'] },
    ],
  },
};

/** What ADO reports as the parent of a system or XML process: no parent. */
export const NO_PARENT_PROCESS = '00000000-0000-0000-0000-000000000000';

/** The work item types a project has: its base process's, plus those its own process added. */
export function projectTypes(project: SimProject): TypeDef[] {
  return [...PROCESSES[project.process].types, ...(project.customProcess?.extraTypes ?? [])];
}

export function projectTypeDef(project: SimProject, name: string): TypeDef | undefined {
  return projectTypes(project).find((x) => x.name.toLowerCase() === name.toLowerCase());
}

/** The process a project reports in its capabilities: its own when it has one, else the system one. */
export function projectProcessRef(project: SimProject): { name: string; typeId: string } {
  return project.customProcess ?? { name: project.process, typeId: PROCESSES[project.process].typeId };
}

/** The fields a type accepts (common + its own), by lower-case reference name. */
export function typeFields(type: TypeDef): Map<string, FieldDef> {
  const out = new Map<string, FieldDef>();
  for (const ref of [...COMMON_FIELDS, ...type.fields]) {
    const def = FIELD_BY_REF.get(ref.toLowerCase());
    if (def) out.set(def.referenceName.toLowerCase(), def);
  }
  return out;
}
