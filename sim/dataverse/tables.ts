/**
 * The Dataverse tables the simulator serves: entity set, key, columns (wire names: lookups read as
 * `_x_value`), navigation properties, and what the Project Schedule APIs let a payload write.
 * Column names come from ../shared/notes/planner-premium.md ("Task columns", "Entity sets") and the
 * MicrosoftDocs articles it cites (schedule-api-preview.md, project-scheduling-logs.md).
 */
export type ColumnType = 'guid' | 'string' | 'decimal' | 'int' | 'bigint' | 'bool' | 'datetime' | 'choice' | 'lookup';

/**
 * Who may write a column through a Pss* payload: both create and update, only create (e.g. the
 * project bind), only update (`msdyn_progress` is update-only [notes, 3P opsora]), or never
 * (computed by the scheduling engine or system-managed).
 */
export type Writable = 'both' | 'create' | 'update' | 'never';

export interface Column {
  name: string;
  type: ColumnType;
  write: Writable;
  /** Lookup: the target table's logical name and the single-valued navigation property (case-sensitive). */
  target?: string;
  nav?: string;
  /** Choice labels, served as FormattedValue annotations. */
  choices?: Record<number, string>;
}

/** A collection-valued navigation property: rows of `table` whose `via` lookup points at this row. */
export interface CollectionNav {
  name: string;
  table: string;
  via: string;
}

export interface Table {
  logicalName: string;
  entitySet: string;
  primaryKey: string;
  primaryName: string;
  columns: Column[];
  collections: CollectionNav[];
  /** Scheduling entity: writes only through the schedule APIs [notes "Writing: schedule APIs"]. */
  scheduling: boolean;
  /** A plain POST may create rows (project, team member) [notes; MS schedule-api-preview.md]. */
  plainCreate?: boolean;
}

const col = (name: string, type: ColumnType, write: Writable = 'never', extra: Partial<Column> = {}): Column => ({ name, type, write, ...extra });
const lookup = (name: string, target: string, nav: string, write: Writable = 'never'): Column => ({ name, type: 'lookup', write, target, nav });

export const STATE_CODES = { 0: 'Active', 1: 'Inactive' };
/** msdyn_status of an operation set [notes: 3P, sources agree on Open, Pending, Completed]. */
export const OPERATION_SET_STATUS = { open: 192350000, pending: 192350001, completed: 192350003 } as const;
/** Sources disagree which of 192350002/192350004 is Failed [notes ?]: the simulator serves either mapping (option `failedStatus`). */
export type FailedStatusVariant = 192350002 | 192350004;
export const PRIORITIES = { 1: 'Urgent', 3: 'Important', 5: 'Medium', 9: 'Low' };
/** msdyn_projecttaskdependencylinktype: the 192350000+ range (some tenants use 0-3) [notes ?]. */
export const LINK_TYPES = { 192350000: 'Finish-to-Start', 192350001: 'Start-to-Start', 192350002: 'Finish-to-Finish', 192350003: 'Start-to-Finish' };
export const OPERATION_TYPES = { 192350000: 'Create', 192350001: 'Update', 192350002: 'Delete' };

/** Columns every Dataverse table has; all system-managed. */
const system = (): Column[] => [
  col('createdon', 'datetime'),
  col('modifiedon', 'datetime'),
  col('versionnumber', 'bigint'),
  col('statecode', 'choice', 'never', { choices: STATE_CODES }),
  lookup('_ownerid_value', 'systemuser', 'ownerid'),
];

function table(t: Omit<Table, 'columns'> & { columns: Column[] }): Table {
  return { ...t, columns: [col(t.primaryKey, 'guid', 'create'), ...t.columns, ...system()] };
}

export const TABLES: Table[] = [
  table({
    logicalName: 'msdyn_project', entitySet: 'msdyn_projects', primaryKey: 'msdyn_projectid', primaryName: 'msdyn_subject', scheduling: true, plainCreate: true,
    columns: [
      col('msdyn_subject', 'string', 'both'),
      col('msdyn_description', 'string', 'both'),
      col('msdyn_scheduledstart', 'datetime', 'both'),
      // Project Effort*, Progress, Finish and Duration can't be written [notes "Write rules", MS].
      col('msdyn_start', 'datetime'),
      col('msdyn_finish', 'datetime'),
      col('msdyn_duration', 'decimal'),
      col('msdyn_effort', 'decimal'),
      col('msdyn_effortcompleted', 'decimal'),
      col('msdyn_effortremaining', 'decimal'),
      col('msdyn_progress', 'decimal'),
      lookup('_msdyn_projectmanager_value', 'systemuser', 'msdyn_projectmanager', 'both'),
    ],
    // The names the notes give for the whole-plan read [notes "Whole plan in one call", 3P mpxj].
    collections: [
      { name: 'msdyn_msdyn_project_msdyn_projecttask_project', table: 'msdyn_projecttask', via: '_msdyn_project_value' },
      { name: 'msdyn_msdyn_project_msdyn_projecttaskdependency_Project', table: 'msdyn_projecttaskdependency', via: '_msdyn_project_value' },
      { name: 'msdyn_msdyn_project_msdyn_resourceassignment_projectid', table: 'msdyn_resourceassignment', via: '_msdyn_projectid_value' },
    ],
  }),
  table({
    logicalName: 'msdyn_projecttask', entitySet: 'msdyn_projecttasks', primaryKey: 'msdyn_projecttaskid', primaryName: 'msdyn_subject', scheduling: true,
    columns: [
      col('msdyn_subject', 'string', 'both'),
      col('msdyn_description', 'string', 'both'),
      lookup('_msdyn_project_value', 'msdyn_project', 'msdyn_project', 'create'),
      lookup('_msdyn_parenttask_value', 'msdyn_projecttask', 'msdyn_parenttask', 'both'),
      // A task's place comes only from its parent bind [notes, 3P opsora].
      col('msdyn_outlinelevel', 'int'),
      col('msdyn_displaysequence', 'decimal'),
      col('msdyn_wbsid', 'string'),
      col('msdyn_start', 'datetime', 'both'),
      col('msdyn_finish', 'datetime', 'both'),
      col('msdyn_scheduledstart', 'datetime', 'both'),
      col('msdyn_scheduledend', 'datetime', 'both'),
      col('msdyn_duration', 'decimal', 'both'),
      col('msdyn_effort', 'decimal', 'both'),
      col('msdyn_effortcompleted', 'decimal', 'update'),
      col('msdyn_effortremaining', 'decimal', 'update'),
      // ScheduleAPI-AV-0001: msdyn_progress is refused on create [notes].
      col('msdyn_progress', 'decimal', 'update'),
      lookup('_msdyn_projectbucket_value', 'msdyn_projectbucket', 'msdyn_projectbucket', 'both'),
      lookup('_msdyn_projectsprint_value', 'msdyn_projectsprint', 'msdyn_projectsprint', 'both'),
      col('msdyn_summary', 'bool'),
      col('msdyn_ismilestone', 'bool'),
      col('msdyn_iscritical', 'bool'),
      col('msdyn_priority', 'choice', 'both', { choices: PRIORITIES }),
    ],
    collections: [],
  }),
  table({
    logicalName: 'msdyn_projectbucket', entitySet: 'msdyn_projectbuckets', primaryKey: 'msdyn_projectbucketid', primaryName: 'msdyn_name', scheduling: true,
    columns: [col('msdyn_name', 'string', 'both'), lookup('_msdyn_project_value', 'msdyn_project', 'msdyn_project', 'create')],
    collections: [],
  }),
  table({
    logicalName: 'msdyn_projectsprint', entitySet: 'msdyn_projectsprints', primaryKey: 'msdyn_projectsprintid', primaryName: 'msdyn_name', scheduling: true,
    columns: [
      col('msdyn_name', 'string', 'both'),
      col('msdyn_start', 'datetime', 'both'),
      col('msdyn_finish', 'datetime', 'both'),
      lookup('_msdyn_project_value', 'msdyn_project', 'msdyn_project', 'create'),
    ],
    collections: [],
  }),
  table({
    logicalName: 'msdyn_projectteam', entitySet: 'msdyn_projectteams', primaryKey: 'msdyn_projectteamid', primaryName: 'msdyn_name', scheduling: true, plainCreate: true,
    columns: [
      col('msdyn_name', 'string', 'both'),
      lookup('_msdyn_project_value', 'msdyn_project', 'msdyn_project', 'create'),
      lookup('_msdyn_bookableresourceid_value', 'bookableresource', 'msdyn_bookableresourceid', 'create'),
    ],
    collections: [],
  }),
  table({
    // Assignments can't be updated, and their effort fields can't be written [MS schedule-api-preview.md].
    logicalName: 'msdyn_resourceassignment', entitySet: 'msdyn_resourceassignments', primaryKey: 'msdyn_resourceassignmentid', primaryName: 'msdyn_name', scheduling: true,
    columns: [
      col('msdyn_name', 'string', 'create'),
      lookup('_msdyn_taskid_value', 'msdyn_projecttask', 'msdyn_taskid', 'create'),
      lookup('_msdyn_projectteamid_value', 'msdyn_projectteam', 'msdyn_projectteamid', 'create'),
      lookup('_msdyn_projectid_value', 'msdyn_project', 'msdyn_projectid', 'create'),
      lookup('_msdyn_bookableresourceid_value', 'bookableresource', 'msdyn_bookableresourceid'),
      col('msdyn_start', 'datetime'),
      col('msdyn_finish', 'datetime'),
      col('msdyn_effort', 'decimal'),
      col('msdyn_effortcompleted', 'decimal'),
      col('msdyn_effortremaining', 'decimal'),
      col('msdyn_plannedwork', 'decimal'),
    ],
    collections: [],
  }),
  table({
    // Dependency binds are PascalCase [notes, 3P opsora]; no updates [notes "Write rules", MS].
    logicalName: 'msdyn_projecttaskdependency', entitySet: 'msdyn_projecttaskdependencies', primaryKey: 'msdyn_projecttaskdependencyid', primaryName: 'msdyn_description', scheduling: true,
    columns: [
      col('msdyn_description', 'string', 'create'),
      lookup('_msdyn_project_value', 'msdyn_project', 'msdyn_Project', 'create'),
      lookup('_msdyn_predecessortask_value', 'msdyn_projecttask', 'msdyn_PredecessorTask', 'create'),
      lookup('_msdyn_successortask_value', 'msdyn_projecttask', 'msdyn_SuccessorTask', 'create'),
      col('msdyn_projecttaskdependencylinktype', 'choice', 'create', { choices: LINK_TYPES }),
    ],
    collections: [],
  }),
  table({
    // Columns of the Operation Set log [MS project-scheduling-logs.md].
    logicalName: 'msdyn_operationset', entitySet: 'msdyn_operationsets', primaryKey: 'msdyn_operationsetid', primaryName: 'msdyn_description', scheduling: false,
    columns: [
      col('msdyn_description', 'string'),
      col('msdyn_status', 'choice'),
      lookup('_msdyn_project_value', 'msdyn_project', 'msdyn_Project'),
      col('msdyn_projectid', 'string'),
      col('msdyn_correlationid', 'string'),
      col('msdyn_executedon', 'datetime'),
      col('msdyn_completedon', 'datetime'),
      lookup('_msdyn_psserrorlog_value', 'msdyn_psserrorlog', 'msdyn_PSSErrorLog'),
      col('msdyn_useraadid', 'string'),
    ],
    collections: [],
  }),
  table({
    logicalName: 'msdyn_operationsetdetail', entitySet: 'msdyn_operationsetdetails', primaryKey: 'msdyn_operationsetdetailid', primaryName: 'msdyn_entityname', scheduling: false,
    columns: [
      lookup('_msdyn_operationset_value', 'msdyn_operationset', 'msdyn_operationset'),
      col('msdyn_entityname', 'string'),
      col('msdyn_operationtype', 'choice', 'never', { choices: OPERATION_TYPES }),
      col('msdyn_recordid', 'string'),
      col('msdyn_requestnumber', 'int'),
      col('msdyn_cdspayload', 'string'),
      col('msdyn_psspayload', 'string'),
    ],
    collections: [],
  }),
  table({
    // PSS error log [MS project-scheduling-logs.md], kept 90 days.
    logicalName: 'msdyn_psserrorlog', entitySet: 'msdyn_psserrorlogs', primaryKey: 'msdyn_psserrorlogid', primaryName: 'msdyn_errorcode', scheduling: false,
    columns: [
      col('msdyn_errorcode', 'string'),
      col('msdyn_log', 'string'),
      col('msdyn_correlationid', 'string'),
      col('msdyn_sessionid', 'string'),
      col('msdyn_callstack', 'string'),
      col('msdyn_helplink', 'string'),
      lookup('_msdyn_project_value', 'msdyn_project', 'msdyn_project'),
    ],
    collections: [],
  }),
  table({
    logicalName: 'systemuser', entitySet: 'systemusers', primaryKey: 'systemuserid', primaryName: 'fullname', scheduling: false,
    columns: [
      col('fullname', 'string'),
      col('domainname', 'string'),
      col('internalemailaddress', 'string'),
      col('azureactivedirectoryobjectid', 'guid'),
      col('accessmode', 'choice', 'never', { choices: { 0: 'Read-Write', 1: 'Administrative', 2: 'Read', 3: 'Support User', 4: 'Non-interactive', 5: 'Delegated Admin' } }),
      col('isdisabled', 'bool'),
      col('applicationid', 'guid'),
      lookup('_businessunitid_value', 'businessunit', 'businessunitid'),
    ],
    collections: [],
  }),
  table({
    logicalName: 'bookableresource', entitySet: 'bookableresources', primaryKey: 'bookableresourceid', primaryName: 'name', scheduling: false,
    columns: [
      col('name', 'string'),
      lookup('_userid_value', 'systemuser', 'UserId'),
      col('resourcetype', 'choice', 'never', { choices: { 1: 'Generic', 2: 'Contact', 3: 'User', 4: 'Equipment', 5: 'Account', 6: 'Crew', 7: 'Facility', 8: 'Pool' } }),
    ],
    collections: [],
  }),
];

const byLogical = new Map(TABLES.map((t) => [t.logicalName, t]));
const bySet = new Map(TABLES.map((t) => [t.entitySet, t]));

export function tableByLogicalName(name: string): Table | undefined {
  return byLogical.get(name);
}

/** Entity set names are case-sensitive URL segments, as in the Web API. */
export function tableBySet(set: string): Table | undefined {
  return bySet.get(set);
}

export function mustTable(logicalName: string): Table {
  const t = byLogical.get(logicalName);
  if (!t) throw new Error(`No table ${logicalName}`);
  return t;
}

export function column(t: Table, name: string): Column | undefined {
  return t.columns.find((c) => c.name === name);
}

/** The lookup column a single-valued navigation property reads through (nav names are case-sensitive). */
export function lookupByNav(t: Table, nav: string): Column | undefined {
  return t.columns.find((c) => c.type === 'lookup' && c.nav === nav);
}
