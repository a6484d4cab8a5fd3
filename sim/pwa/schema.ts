/**
 * What the simulator knows of the PS `$metadata` (../shared/specs/pwa, the 2019 and Online dumps):
 * the Edm type of every property it serves, and every navigation property each type declares.
 * `$filter` type-checks against the properties; `$expand` and navigation paths check against the
 * navigation properties: a name the type does not declare is a 400, as on SharePoint, and a declared
 * one the simulator does not serve is a 501, so a test that needs it fails loudly rather than passing.
 * `sim/pwa/test/schema.test.ts` checks this file against the dumps.
 */

export type EdmType = 'Edm.String' | 'Edm.Guid' | 'Edm.DateTime' | 'Edm.Int16' | 'Edm.Int32' | 'Edm.Boolean' | 'Edm.Double' | 'Edm.Decimal' | 'Edm.Time';

const SHORT: Record<string, EdmType> = {
  S: 'Edm.String', G: 'Edm.Guid', D: 'Edm.DateTime', I16: 'Edm.Int16', I: 'Edm.Int32', B: 'Edm.Boolean', F: 'Edm.Double', M: 'Edm.Decimal', T: 'Edm.Time',
};

export interface EntitySchema {
  properties: Record<string, EdmType>;
  navigations: Set<string>;
  /** Open types also carry dynamic properties (task custom field values). */
  open: boolean;
}

function entity(props: string, navs: string, open = false): EntitySchema {
  const properties: Record<string, EdmType> = {};
  for (const token of props.split(/\s+/).filter(Boolean)) {
    const [name, short] = token.split(':');
    properties[name!] = SHORT[short!]!;
  }
  return { properties, navigations: new Set(navs.split(/\s+/).filter(Boolean)), open };
}

const PROJECT = 'Id:G Name:S Description:S ProjectType:I StartDate:D FinishDate:D CreatedDate:D LastPublishedDate:D LastSavedDate:D '
  + 'IsCheckedOut:B CheckedOutDate:D CheckOutDescription:S CheckOutId:G MinutesPerDay:I MinutesPerWeek:I DaysPerMonth:I16 OwnerId:S PercentComplete:I';
const PROJECT_NAVS = 'CheckedOutBy CustomFields Engagements EnterpriseProjectType UserPermissions Phase ProjectSummaryTask QueueJobs Stage Assignments Calendar IncludeCustomFields Owner ProjectResources TaskLinks Tasks';
const TASK = 'Id:G Name:S OutlineLevel:I OutlinePosition:S WorkBreakdownStructure:S IsSummary:B IsManual:B IsMilestone:B Start:D Finish:D '
  + 'Duration:S DurationMilliseconds:I DurationTimeSpan:T Work:S WorkMilliseconds:I WorkTimeSpan:T '
  + 'ActualWork:S ActualWorkMilliseconds:I ActualWorkTimeSpan:T RemainingWork:S RemainingWorkMilliseconds:I RemainingWorkTimeSpan:T '
  + 'PercentComplete:I PercentWorkComplete:I Deadline:D IsActive:B TaskType:I Contact:S Notes:S Created:D Modified:D';
const TASK_NAVS = 'CustomFields SubProject Assignments Calendar Parent Predecessors StatusManager Successors';
const ASSIGNMENT = 'Id:G Start:D Finish:D Created:D Modified:D Notes:S Work:S WorkMilliseconds:I WorkTimeSpan:T '
  + 'ActualWork:S ActualWorkMilliseconds:I ActualWorkTimeSpan:T RemainingWork:S RemainingWorkMilliseconds:I RemainingWorkTimeSpan:T PercentWorkComplete:I';
const ASSIGNMENT_NAVS = 'CustomFields Owner Parent Resource Task';
const PROJECT_RESOURCE = 'Id:G Name:S Email:S Initials:S Group:S Code:S IsGenericResource:B Created:D Modified:D Start:D Finish:D '
  + 'Work:S WorkMilliseconds:I WorkTimeSpan:T ActualWork:S ActualWorkMilliseconds:I ActualWorkTimeSpan:T '
  + 'RemainingWork:S RemainingWorkMilliseconds:I RemainingWorkTimeSpan:T PercentWorkComplete:I';
const PROJECT_RESOURCE_NAVS = 'CustomFields EnterpriseResource Assignments DefaultAssignmentOwner';
const LINK = 'Id:G DependencyType:I';

export const SCHEMA: Record<string, EntitySchema> = {
  'PS.PublishedProject': entity(`${PROJECT} IsEnterpriseProject:B`, `${PROJECT_NAVS} Draft EntityLinks ProjectWorkflowInstance`, true),
  'PS.DraftProject': entity(PROJECT, PROJECT_NAVS, true),
  'PS.PublishedTask': entity(TASK, `${TASK_NAVS} EntityLinks TaskPlanLink`, true),
  'PS.DraftTask': entity(`${TASK} ParentId:G`, TASK_NAVS, true),
  'PS.PublishedAssignment': entity(ASSIGNMENT, ASSIGNMENT_NAVS, true),
  'PS.DraftAssignment': entity(`${ASSIGNMENT} ResourceId:G TaskId:G`, ASSIGNMENT_NAVS, true),
  // Lag, its format and the task ids are in the Project Online dump only (see test/allowed-differences.ts).
  'PS.PublishedTaskLink': entity(`${LINK} LinkLag:I LinkLagDuration:S LinkLagFmt:I16 PredecessorTaskId:G SuccessorTaskId:G ProjUid:G`, 'End Start'),
  'PS.DraftTaskLink': entity(`${LINK} StartId:G EndId:G LinkLagDuration:S PredecessorTaskId:G SuccessorTaskId:G`, 'End Start'),
  'PS.PublishedProjectResource': entity(PROJECT_RESOURCE, PROJECT_RESOURCE_NAVS, true),
  'PS.DraftProjectResource': entity(PROJECT_RESOURCE, PROJECT_RESOURCE_NAVS, true),
  'PS.EnterpriseResource': entity('Id:G Name:S Email:S Initials:S Group:S Code:S ResourceType:I IsGeneric:B IsActive:B IsBudget:B IsTeam:B Created:D Modified:D',
    'Assignments BaseCalendar CostRateTables CustomFields DefaultAssignmentOwner Engagements UserPermissions ResourceCalendarExceptions Self TimesheetManager User', true),
  'PS.Calendar': entity('Id:G Name:S IsStandardCalendar:B Created:D Modified:D OriginalId:G', 'BaseCalendarExceptions'),
  'PS.BaseCalendarException': entity('Id:I Name:S Start:D Finish:D RecurrenceDays:I RecurrenceFrequency:I RecurrenceMonth:I RecurrenceMonthDay:I RecurrenceType:I RecurrenceWeek:I '
    + 'Shift1Start:I Shift1Finish:I Shift2Start:I Shift2Finish:I Shift3Start:I Shift3Finish:I Shift4Start:I Shift4Finish:I Shift5Start:I Shift5Finish:I', 'Calendar'),
  'PS.CustomField': entity('Id:G Name:S InternalName:S FieldType:I Description:S IsRequired:B IsMultilineText:B Formula:S IsEditableInVisibility:B IsWorkflowControlled:B '
    + 'LookupAllowMultiSelect:B RollsDownToAssignments:B RollupType:I LookupTableId:G LookupDefaultValue:G EntityTypeId:G', 'EntityType LookupEntries LookupTable'),
  'PS.LookupTable': entity('Id:G Name:S FieldType:I SortOrder:I', 'Entries'),
  'PS.LookupText': entity('Id:G FullValue:S Value:S Description:S InternalName:S SortIndex:M HasChildren:B', 'Parent'),
  'PS.EntityType': entity('ID:G Name:S', ''),
  'PS.EntityTypes': entity('', 'AssignmentEntity ProjectEntity ResourceEntity TaskEntity'),
  'PS.QueueJob': entity('Id:G JobState:I MessageType:I PercentComplete:I WaitMilliseconds:I', 'Project Submitter'),
  'PS.UserPermission': entity('HasPermission:B Permission:S', ''),
};

const INT_RANGE: Partial<Record<EdmType, [number, number]>> = { 'Edm.Int16': [-32768, 32767], 'Edm.Int32': [-2147483648, 2147483647] };

/** Whether a number fits an integer Edm type (always true for other types). */
export function fitsEdm(type: EdmType | undefined, value: number): boolean {
  const range = type ? INT_RANGE[type] : undefined;
  return !range || (Number.isInteger(value) && value >= range[0] && value <= range[1]);
}
