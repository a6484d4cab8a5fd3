import { randomUUID } from 'node:crypto';
import { dvErrors } from './errors.js';
import type { OperationSetResponse, OperationSets } from './operation-sets.js';
import { entityValues, normalizeDelete, normalizeDeleteItem, normalizeEntity, type PssOperation } from './pss-payload.js';
import { rollUpProject } from './rollup.js';
import type { Row, Store } from './store.js';
import { mustTable } from './tables.js';
import { hasProjectLicense, type DataverseUser } from './users.js';

/**
 * The Project Schedule APIs, unbound actions `POST {base}/{name}` with the request and response
 * shapes of the notes ("Writing: schedule APIs"). Only licensed users may call them [notes "License"].
 * Pss*, Execute and Abandon answer `{"OperationSetResponse": "<json string>"}` [notes, MS C# sample].
 */
type Params = Record<string, unknown>;
type Handler = (user: DataverseUser, p: Params) => Params;

/** Parameters each action takes; any other is refused as the OData deserializer refuses it. */
const PARAMETERS: Record<string, string[]> = {
  msdyn_CreateProjectV1: ['Project'],
  msdyn_CreateTeamMemberV1: ['TeamMember'],
  msdyn_CreateOperationSetV1: ['ProjectId', 'Description'],
  msdyn_PssCreateV1: ['OperationSetId', 'Entity'],
  msdyn_PssCreateV2: ['OperationSetId', 'EntityCollection'],
  msdyn_PssUpdateV1: ['OperationSetId', 'Entity'],
  msdyn_PssUpdateV2: ['OperationSetId', 'EntityCollection'],
  msdyn_PssDeleteV1: ['OperationSetId', 'RecordId', 'EntityLogicalName'],
  msdyn_PssDeleteV2: ['OperationSetId', 'EntityCollection'],
  msdyn_ExecuteOperationSetV1: ['OperationSetId'],
  msdyn_AbandonOperationSetV1: ['OperationSetId'],
};
const OPTIONAL = new Set(['Description']);
/** Real actions the simulator does not serve: a loud 501 rather than a misleading 404. */
const NOT_SERVED = new Set(['msdyn_ExecuteOperationSetV3', 'msdyn_PssUpdateResourceAssignmentContourV1']);

export function isAction(name: string): boolean {
  return name in PARAMETERS || NOT_SERVED.has(name);
}

export class ScheduleApi {
  constructor(private readonly store: () => Store, private readonly sets: OperationSets) {}

  call(name: string, user: DataverseUser, body: unknown, base: string): Params {
    if (NOT_SERVED.has(name)) throw dvErrors.notServed(`the action ${name}`);
    const params = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Params;
    for (const key of Object.keys(params)) {
      if (!PARAMETERS[name]!.includes(key)) throw dvErrors.odata(`The parameter '${key}' in the request payload is not a valid parameter for the operation '${name}'.`);
    }
    for (const key of PARAMETERS[name]!) {
      if (!OPTIONAL.has(key) && (params[key] === undefined || params[key] === null)) throw dvErrors.odata(`The parameter '${key}' of the operation '${name}' is required.`);
    }
    if (!hasProjectLicense(user)) throw dvErrors.noLicense(user.domainname);
    const result = this.handlers[name]!(user, params);
    return { '@odata.context': `${base}$metadata#Microsoft.Dynamics.CRM.${name}Response`, ...result };
  }

  private readonly handlers: Record<string, Handler> = {
    msdyn_CreateProjectV1: (user, p) => ({ ProjectId: this.createProject(user, p.Project) }),
    msdyn_CreateTeamMemberV1: (user, p) => ({ TeamMemberId: this.createTeamMember(user, p.TeamMember) }),
    msdyn_CreateOperationSetV1: (user, p) => ({ OperationSetId: this.sets.create(user, p.ProjectId, p.Description) }),
    msdyn_PssCreateV1: (user, p) => one(this.sets.queue(user, p.OperationSetId, [{ op: normalizeEntity(p.Entity, 'Create'), raw: p.Entity }])),
    msdyn_PssUpdateV1: (user, p) => one(this.sets.queue(user, p.OperationSetId, [{ op: normalizeEntity(p.Entity, 'Update'), raw: p.Entity }])),
    msdyn_PssDeleteV1: (user, p) => one(this.sets.queue(user, p.OperationSetId, [{ op: normalizeDelete(p.RecordId, p.EntityLogicalName), raw: { RecordId: p.RecordId, EntityLogicalName: p.EntityLogicalName } }])),
    msdyn_PssCreateV2: (user, p) => many(this.sets.queue(user, p.OperationSetId, collection(p.EntityCollection, (e) => normalizeEntity(e, 'Create')))),
    msdyn_PssUpdateV2: (user, p) => many(this.sets.queue(user, p.OperationSetId, collection(p.EntityCollection, (e) => normalizeEntity(e, 'Update')))),
    msdyn_PssDeleteV2: (user, p) => many(this.sets.queue(user, p.OperationSetId, collection(p.EntityCollection, normalizeDeleteItem))),
    msdyn_ExecuteOperationSetV1: (user, p) => one([this.sets.execute(user, p.OperationSetId)]),
    msdyn_AbandonOperationSetV1: (user, p) => one([this.sets.abandon(user, p.OperationSetId)]),
  };

  /** A project and its default bucket, at once [MS schedule-api-preview.md: CreateProjectV1]. */
  private createProject(user: DataverseUser, entity: unknown): string {
    const id = this.plainCreate(user, 'msdyn_project', entity);
    this.store().insert('msdyn_projectbucket', 'msdyn_projectbucketid', { msdyn_projectbucketid: randomUUID(), msdyn_name: 'Bucket 1', _msdyn_project_value: id }, user.systemuserid);
    return id;
  }

  private createTeamMember(user: DataverseUser, entity: unknown): string {
    return this.plainCreate(user, 'msdyn_projectteam', entity);
  }

  /** The two tables a plain create may write: msdyn_project and msdyn_projectteam [notes, MS]. Returns the id. */
  plainCreate(user: DataverseUser, logicalName: 'msdyn_project' | 'msdyn_projectteam', entity: unknown): string {
    if (!entity || typeof entity !== 'object' || Array.isArray(entity)) throw dvErrors.odata(`The ${logicalName} payload must be a JSON object.`);
    const t = mustTable(logicalName);
    const op = entityValues(t, entity as Row, 'Create');
    const store = this.store();
    if (store.get(logicalName, op.recordId)) throw dvErrors.duplicateRecord();
    if (logicalName === 'msdyn_projectteam') {
      const project = op.values._msdyn_project_value;
      if (typeof project !== 'string' || !store.get('msdyn_project', project)) throw dvErrors.rowNotFound('msdyn_project', String(project));
    }
    const blank = Object.fromEntries(t.columns.filter((c) => !['createdon', 'modifiedon', 'versionnumber', 'statecode', '_ownerid_value'].includes(c.name)).map((c) => [c.name, null]));
    const start = (op.values.msdyn_scheduledstart as string | undefined) ?? new Date(store.now()).toISOString().slice(0, 10) + 'T09:00:00Z';
    const defaults: Row = logicalName === 'msdyn_project'
      ? { msdyn_scheduledstart: start, _msdyn_projectmanager_value: user.systemuserid }
      : {};
    store.insert(logicalName, t.primaryKey, { ...blank, ...defaults, ...op.values, [t.primaryKey]: op.recordId }, user.systemuserid);
    if (logicalName === 'msdyn_project') rollUpProject(store, op.recordId);
    return op.recordId;
  }
}

function collection(items: unknown, normalize: (item: unknown) => PssOperation): Array<{ op: PssOperation; raw: unknown }> {
  if (!Array.isArray(items) || items.length === 0) throw dvErrors.odata('EntityCollection must be a non-empty array of entities.');
  return items.map((raw) => ({ op: normalize(raw), raw }));
}

const one = (responses: OperationSetResponse[]): Params => ({ OperationSetResponse: JSON.stringify(responses[0]) });
/** V2 answers one response per entity [guess: the notes give the V1 shape only]. */
const many = (responses: OperationSetResponse[]): Params => ({ OperationSetResponse: JSON.stringify(responses) });
