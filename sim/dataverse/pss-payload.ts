import { randomUUID } from 'node:crypto';
import { parseDateTimeOffset } from './dates.js';
import { dvErrors } from './errors.js';
import type { Row } from './store.js';
import { column, lookupByNav, tableByLogicalName, tableBySet, type Column, type Table } from './tables.js';

/**
 * Checks a Pss* entity when the action is called (attribute validation: a failure is an immediate
 * error and nothing is queued [notes "PSS validates first"]) and turns it into the wire columns it
 * writes: binds `x@odata.bind: "/set(id)"` become `_x_value` ids [notes "Lookups"].
 * Whether referenced rows exist is checked when the set executes, since a set may create them.
 */
export type OperationType = 'Create' | 'Update' | 'Delete';

export interface PssOperation {
  type: OperationType;
  table: string;
  recordId: string;
  /** Wire columns to write (Create/Update); a lookup's value is the target id or null. */
  values: Row;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CRM_TYPE = /^#?Microsoft\.Dynamics\.CRM\.(\w+)$/;

/** Assignments and dependencies can't be updated; projects are created by msdyn_CreateProjectV1 [MS schedule-api-preview.md]. */
const NOT_SUPPORTED: Record<string, OperationType[]> = {
  msdyn_resourceassignment: ['Update'],
  msdyn_projecttaskdependency: ['Update'],
  msdyn_project: ['Create', 'Delete'],
};

/** Required on create [notes' PssCreateV1 example; 3P opsora: subject, project and bucket binds]. */
const REQUIRED_ON_CREATE: Record<string, string[]> = {
  msdyn_projecttask: ['msdyn_subject', '_msdyn_project_value', '_msdyn_projectbucket_value'],
  msdyn_projectbucket: ['_msdyn_project_value'],
  msdyn_projectsprint: ['msdyn_name', 'msdyn_start', 'msdyn_finish', '_msdyn_project_value'],
  msdyn_projectteam: ['_msdyn_project_value'],
  msdyn_resourceassignment: ['_msdyn_taskid_value', '_msdyn_projectteamid_value'],
  msdyn_projecttaskdependency: ['_msdyn_predecessortask_value', '_msdyn_successortask_value'],
};

export function schedulingTable(odataType: unknown): Table {
  const m = typeof odataType === 'string' ? CRM_TYPE.exec(odataType) : null;
  if (!m) throw dvErrors.scheduleApi(`The entity needs an '@odata.type' of the form 'Microsoft.Dynamics.CRM.<logical name>'; got '${String(odataType)}'.`);
  const t = tableByLogicalName(m[1]!);
  if (!t || !t.scheduling) throw dvErrors.scheduleApi(`'${m[1]}' is not a scheduling entity. The Project Schedule APIs write msdyn_project, msdyn_projecttask, msdyn_projecttaskdependency, msdyn_resourceassignment, msdyn_projectbucket, msdyn_projectteam and msdyn_projectsprint.`);
  return t;
}

/** `/msdyn_projects(guid)`, `msdyn_projects(guid)` or an absolute URL ending so. */
function parseBind(value: unknown, c: Column, key: string): string | null {
  if (value === null) return null;
  const m = typeof value === 'string' ? /(?:^|\/)([A-Za-z_]\w*)\(([^)]*)\)$/.exec(value) : null;
  if (!m) throw dvErrors.odata(`The value '${String(value)}' of '${key}' is not a valid entity reference. Use '/<entity set>(<id>)'.`);
  const target = tableBySet(m[1]!);
  if (!target) throw dvErrors.segmentNotFound(m[1]!);
  if (target.logicalName !== c.target) throw dvErrors.odata(`A reference to an entity of type 'Microsoft.Dynamics.CRM.${target.logicalName}' was found for '${key}', which expects 'Microsoft.Dynamics.CRM.${c.target}'.`);
  if (!GUID.test(m[2]!)) throw dvErrors.odata(`Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx). Got '${m[2]}' in '${key}'.`);
  return m[2]!.toLowerCase();
}

function typedValue(c: Column, value: unknown, t: Table): unknown {
  if (value === null) return null;
  const bad = () => dvErrors.odata(`Cannot convert the literal '${JSON.stringify(value)}' to the expected type '${edm(c)}' of the property '${c.name}' of 'Microsoft.Dynamics.CRM.${t.logicalName}'.`);
  switch (c.type) {
    case 'string': if (typeof value !== 'string') throw bad(); return value;
    case 'decimal': if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(); return value;
    case 'int': case 'bigint': if (!Number.isInteger(value)) throw bad(); return value;
    case 'bool': if (typeof value !== 'boolean') throw bad(); return value;
    case 'datetime': { const d = parseDateTimeOffset(value); if (!d) throw bad(); return d; }
    case 'choice': {
      if (!Number.isInteger(value)) throw bad();
      if (c.choices && !(String(value) in c.choices)) throw dvErrors.scheduleApi(`A validation error occurred. The value ${String(value)} of '${c.name}' on record of type '${t.logicalName}' is outside the valid range. Accepted values: ${Object.keys(c.choices).join(', ')}.`);
      return value;
    }
    case 'guid': if (typeof value !== 'string' || !GUID.test(value)) throw bad(); return value.toLowerCase();
    default: throw bad();
  }
}

function edm(c: Column): string {
  return ({ guid: 'Edm.Guid', lookup: 'Edm.Guid', string: 'Edm.String', decimal: 'Edm.Decimal', int: 'Edm.Int32', bigint: 'Edm.Int64', bool: 'Edm.Boolean', datetime: 'Edm.DateTimeOffset', choice: 'Edm.Int32' } as const)[c.type];
}

/** ScheduleAPI-AV-0001 a read-only or computed column in a payload [notes "Errors seen"]. */
function notAllowed(c: string, t: Table, type: OperationType): Error {
  return dvErrors.scheduleApi(`ScheduleAPI-AV-0001 Input to the column ${c} of ${t.logicalName} during ${type.toLowerCase()} operation is not allowed.`);
}

export function normalizeEntity(entity: unknown, type: 'Create' | 'Update'): PssOperation {
  if (!entity || typeof entity !== 'object' || Array.isArray(entity)) throw dvErrors.odata('The Entity parameter must be a JSON object.');
  const t = schedulingTable((entity as Row)['@odata.type']);
  if (NOT_SUPPORTED[t.logicalName]?.includes(type)) throw unsupported(t, type);
  return entityValues(t, entity as Row, type);
}

/** The columns a payload writes, checked against the table's write rules (also for plain creates). */
export function entityValues(t: Table, e: Row, type: 'Create' | 'Update'): PssOperation {
  const values: Row = {};
  for (const [key, raw] of Object.entries(e)) {
    if (key === '@odata.type' || key === t.primaryKey) continue;
    if (key.endsWith('@odata.bind')) {
      const nav = key.slice(0, -'@odata.bind'.length);
      const c = lookupByNav(t, nav);
      if (!c) throw dvErrors.undeclaredBind(nav);
      if (!writable(c, type)) throw notAllowed(nav, t, type);
      const id = parseBind(raw, c, key);
      // Un-parenting is blocked [notes, 3P opsora].
      if (id === null && c.name === '_msdyn_parenttask_value') throw dvErrors.scheduleApi('ScheduleAPI: removing a task from its parent is not supported. A task can only be moved under another parent.');
      values[c.name] = id;
      continue;
    }
    if (key.includes('@')) continue;
    const c = column(t, key);
    if (!c || c.type === 'lookup') throw dvErrors.unknownPayloadProperty(key, t.logicalName);
    if (!writable(c, type)) throw notAllowed(key, t, type);
    values[key] = typedValue(c, raw, t);
  }
  const given = e[t.primaryKey];
  if (given !== undefined && (typeof given !== 'string' || !GUID.test(given))) throw dvErrors.odata(`The value of '${t.primaryKey}' must be a GUID.`);
  if (type === 'Update' && given === undefined) throw dvErrors.scheduleApi(`The ${t.primaryKey} of the ${t.logicalName} to update is required.`);
  if (type === 'Create') {
    const missing = (REQUIRED_ON_CREATE[t.logicalName] ?? []).filter((k) => values[k] === undefined || values[k] === null);
    if (missing.length) throw dvErrors.scheduleApi(`Required field(s) missing to create ${t.logicalName}: ${missing.map((k) => column(t, k)?.nav ? `${column(t, k)!.nav}@odata.bind` : k).join(', ')}.`);
  }
  return { type, table: t.logicalName, recordId: (typeof given === 'string' ? given : randomUUID()).toLowerCase(), values };
}

/** V1: `{RecordId, EntityLogicalName}`; V2: `{"@odata.type": .., "<key>": id}` items [notes, 3P opsora]. */
export function normalizeDelete(recordId: unknown, logicalName: unknown): PssOperation {
  const t = tableByLogicalName(String(logicalName));
  if (!t || !t.scheduling) throw dvErrors.scheduleApi(`'${String(logicalName)}' is not a scheduling entity.`);
  if (NOT_SUPPORTED[t.logicalName]?.includes('Delete')) throw unsupported(t, 'Delete');
  if (typeof recordId !== 'string' || !GUID.test(recordId)) throw dvErrors.odata(`RecordId must be a GUID; got '${String(recordId)}'.`);
  return { type: 'Delete', table: t.logicalName, recordId: recordId.toLowerCase(), values: {} };
}

export function normalizeDeleteItem(item: unknown): PssOperation {
  if (!item || typeof item !== 'object') throw dvErrors.odata('Each EntityCollection item must be a JSON object.');
  const t = schedulingTable((item as Row)['@odata.type']);
  return normalizeDelete((item as Row)[t.primaryKey], t.logicalName);
}

function writable(c: Column, type: OperationType): boolean {
  return c.write === 'both' || (type === 'Create' && c.write === 'create') || (type === 'Update' && c.write === 'update');
}

function unsupported(t: Table, type: OperationType): Error {
  const hint = type === 'Update' ? ' Delete the record and create a new one instead.' : t.logicalName === 'msdyn_project' && type === 'Create' ? ' Use msdyn_CreateProjectV1.' : '';
  return dvErrors.scheduleApi(`The ${type.toLowerCase()} operation is not supported for ${t.logicalName}.${hint}`);
}
