import type { EntityView, ODataFormat } from './odata.js';
import {
  EMPTY_DATE, customInternalName, customPropertyName, lookupEntryInternalName,
  type SimCustomField, type SimLookupTable, type SimProject, type SimQueueJob, type SimState, type SimTask,
} from './model.js';

/** Maps simulator state to PS entities with the property names of the real `$metadata`. */

export function durationString(minutes: number, minutesPerDay: number): string {
  const days = minutes / minutesPerDay;
  return `${Number.isInteger(days) ? days : Number(days.toFixed(2))}d`;
}
export function workString(minutes: number): string {
  const hours = minutes / 60;
  return `${Number.isInteger(hours) ? hours : Number(hours.toFixed(2))}h`;
}

export class Views {
  constructor(
    private readonly state: () => SimState,
    private readonly api: string,
    private readonly format: ODataFormat,
  ) {}

  project(p: SimProject): EntityView {
    const uri = `${this.api}/ProjectServer/Projects('${p.Id}')`;
    return {
      type: 'PS.PublishedProject',
      uri,
      props: {
        Id: p.Id, Name: p.Name, Description: p.Description, ProjectType: p.ProjectType,
        StartDate: p.StartDate, FinishDate: p.FinishDate, CreatedDate: p.CreatedDate,
        LastPublishedDate: p.LastPublishedDate, LastSavedDate: p.LastSavedDate,
        IsCheckedOut: p.checkout !== null, CheckedOutDate: p.checkout?.since ?? EMPTY_DATE,
        CheckOutDescription: p.checkout ? `Checked out by ${p.checkout.user}` : '',
        CheckOutId: p.checkout?.checkOutId ?? '00000000-0000-0000-0000-000000000000',
        MinutesPerDay: p.MinutesPerDay, MinutesPerWeek: p.MinutesPerWeek, DaysPerMonth: p.DaysPerMonth,
        OwnerId: p.OwnerId, IsEnterpriseProject: true, PercentComplete: p.tasks[0]?.PercentComplete ?? 0,
      },
      navs: {
        CheckedOutBy: () => (p.checkout ? { type: 'SP.User', uri: `${uri}/CheckedOutBy`, props: { LoginName: p.checkout.user, Title: p.checkout.user } } : null),
      },
    };
  }

  draftProject(p: SimProject): EntityView {
    const view = this.project(p);
    return { ...view, type: 'PS.DraftProject', uri: `${view.uri}/Draft`, props: Object.fromEntries(Object.entries(view.props).filter(([k]) => k !== 'IsEnterpriseProject')) };
  }

  task(p: SimProject, t: SimTask, draft: boolean): EntityView {
    const uri = `${this.api}/ProjectServer/Projects('${p.Id}')/${draft ? 'Draft/' : ''}Tasks('${t.Id}')`;
    const props: Record<string, unknown> = {
      Id: t.Id, Name: t.Name, OutlineLevel: t.OutlineLevel, OutlinePosition: t.OutlinePosition,
      WorkBreakdownStructure: t.OutlinePosition, IsSummary: t.IsSummary, IsManual: t.IsManual, IsMilestone: t.IsMilestone,
      Start: t.Start, Finish: t.Finish,
      Duration: durationString(t.DurationMinutes, p.MinutesPerDay), DurationMilliseconds: t.DurationMinutes * 60_000,
      Work: workString(t.WorkMinutes), WorkMilliseconds: t.WorkMinutes * 60_000,
      PercentComplete: t.PercentComplete, Notes: t.Notes, Created: t.Created, Modified: t.Modified,
    };
    if (draft) props.ParentId = t.ParentId ?? '00000000-0000-0000-0000-000000000000';
    for (const [fieldId, value] of Object.entries(t.custom)) {
      props[customPropertyName(fieldId)] = this.customValue(fieldId, value);
    }
    const tasks = draft ? (p.draft ?? p.tasks) : p.tasks;
    return {
      type: draft ? 'PS.DraftTask' : 'PS.PublishedTask',
      uri,
      props,
      navs: {
        Parent: () => {
          const parent = t.ParentId ? tasks.find((x) => x.Id === t.ParentId) : undefined;
          return parent ? this.task(p, parent, draft) : null;
        },
        Assignments: () => t.assignments.map((a) => {
          const resource = this.state().resources.find((r) => r.Id === a.ResourceId);
          return {
            type: draft ? 'PS.DraftAssignment' : 'PS.PublishedAssignment',
            uri: `${this.api}/ProjectServer/Projects('${p.Id}')/Assignments('${a.Id}')`,
            props: { Id: a.Id, Work: workString(a.WorkMinutes), WorkMilliseconds: a.WorkMinutes * 60_000, Start: t.Start, Finish: t.Finish },
            navs: {
              Resource: () => (resource ? {
                type: draft ? 'PS.DraftProjectResource' : 'PS.PublishedProjectResource',
                uri: `${this.api}/ProjectServer/Projects('${p.Id}')/ProjectResources('${resource.Id}')`,
                props: { Id: resource.Id, Name: resource.Name, Email: resource.Email },
              } : null),
            },
          };
        }),
      },
    };
  }

  /** Lookup values are arrays of entry internal names; verbose wraps arrays in `results`. */
  private customValue(fieldId: string, value: unknown): unknown {
    const field = this.state().customFields.find((f) => f.Id === fieldId);
    if (field?.LookupTableId && Array.isArray(value)) {
      const names = value.map((id) => lookupEntryInternalName(String(id)));
      return this.format === 'verbose' ? { __metadata: { type: 'Collection(Edm.String)' }, results: names } : names;
    }
    return value;
  }

  customField(f: SimCustomField): EntityView {
    const uri = `${this.api}/ProjectServer/CustomFields('${f.Id}')`;
    return {
      type: 'PS.CustomField',
      uri,
      props: {
        Id: f.Id, Name: f.Name, InternalName: customInternalName(f.Id), FieldType: f.FieldType,
        Description: f.Description, IsRequired: f.IsRequired, IsMultilineText: f.IsMultilineText, Formula: f.Formula,
        IsEditableInVisibility: false, IsWorkflowControlled: false, LookupAllowMultiSelect: false,
        RollsDownToAssignments: false, RollupType: 0,
        LookupTableId: f.LookupTableId ?? '00000000-0000-0000-0000-000000000000',
        LookupDefaultValue: '00000000-0000-0000-0000-000000000000',
        EntityTypeId: f.EntityTypeId,
      },
      navs: {
        LookupEntries: () => this.state().lookupTables.find((t) => t.Id === f.LookupTableId)?.entries.map((e) => this.lookupEntry(e)) ?? [],
        LookupTable: () => {
          const table = this.state().lookupTables.find((t) => t.Id === f.LookupTableId);
          return table ? this.lookupTable(table) : null;
        },
        EntityType: () => {
          const entry = Object.entries(this.state().entityTypes).find(([, id]) => id === f.EntityTypeId);
          return entry ? this.entityType(entry[0], entry[1]) : null;
        },
      },
    };
  }

  lookupEntry(e: SimLookupTable['entries'][number]): EntityView {
    return {
      type: 'PS.LookupText',
      uri: `${this.api}/ProjectServer/LookupTables/Entries('${e.Id}')`,
      props: { Id: e.Id, FullValue: e.FullValue, Value: e.FullValue, Description: e.Description, InternalName: lookupEntryInternalName(e.Id), SortIndex: e.SortIndex, HasChildren: false },
    };
  }

  lookupTable(t: SimLookupTable): EntityView {
    return {
      type: 'PS.LookupTable',
      uri: `${this.api}/ProjectServer/LookupTables('${t.Id}')`,
      props: { Id: t.Id, Name: t.Name, FieldType: t.FieldType, SortOrder: 0 },
      navs: { Entries: () => t.entries.map((e) => this.lookupEntry(e)) },
    };
  }

  entityType(name: string, id: string): EntityView {
    return { type: 'PS.EntityType', uri: `${this.api}/ProjectServer/EntityTypes/${name}`, props: { ID: id, Name: name.replace(/Entity$/, '') } };
  }

  queueJob(p: SimProject, j: SimQueueJob): EntityView {
    return {
      type: 'PS.QueueJob',
      uri: `${this.api}/ProjectServer/Projects('${p.Id}')/QueueJobs('${j.Id}')`,
      props: {
        Id: j.Id, JobState: j.JobState, MessageType: j.MessageType, PercentComplete: j.PercentComplete,
        WaitMilliseconds: Math.max(0, j.doneAt - Date.now()),
      },
    };
  }

  permission(name: string, has: boolean): EntityView {
    return { type: 'PS.UserPermission', uri: `${this.api}/ProjectServer/UserPermissions('${name}')`, props: { HasPermission: has, Permission: name } };
  }
}
