import { taskLinks } from './link-views.js';
import type { EntityView, ODataFormat } from './odata.js';
import {
  EMPTY_DATE, customInternalName, lookupEntryInternalName,
  type SimCustomField, type SimLookupTable, type SimProject, type SimQueueJob, type SimState, type SimTask,
} from './model.js';
import { assignmentView, calendarView, enterpriseResourceView, projectAssignments, projectResourceView, projectResources } from './resource-views.js';
import { lazyViews } from './lazy-views.js';
import { taskProperty, taskPropertyNames } from './task-props.js';
import { taskById } from './task-index.js';
import { EMPTY_GUID, type ViewContext, planTasks, projectUri, sharedView } from './view-context.js';
import { durationString, workString } from './wire.js';

/**
 * Maps simulator state to PS entities with the property names of the real `$metadata`. One Views
 * serves one request (server.ts), so views it shares between entities never outlive a state change.
 */

export { durationString, workString };

export class Views {
  private readonly ctx: ViewContext;

  constructor(
    private readonly state: () => SimState,
    private readonly api: string,
    private readonly format: ODataFormat,
  ) {
    this.ctx = { state, api, format, shared: new Map() };
  }

  project(p: SimProject, draft = false): EntityView {
    const uri = projectUri(this.ctx, p, draft);
    const props: Record<string, unknown> = {
      Id: p.Id, Name: p.Name, Description: p.Description, ProjectType: p.ProjectType,
      StartDate: p.StartDate, FinishDate: p.FinishDate, CreatedDate: p.CreatedDate,
      LastPublishedDate: p.LastPublishedDate, LastSavedDate: p.LastSavedDate,
      IsCheckedOut: p.checkout !== null, CheckedOutDate: p.checkout?.since ?? EMPTY_DATE,
      CheckOutDescription: p.checkout ? `Checked out by ${p.checkout.user}` : '',
      CheckOutId: p.checkout?.checkOutId ?? EMPTY_GUID,
      MinutesPerDay: p.MinutesPerDay, MinutesPerWeek: p.MinutesPerWeek, DaysPerMonth: p.DaysPerMonth,
      OwnerId: p.OwnerId, PercentComplete: p.tasks[0]?.PercentComplete ?? 0,
    };
    if (!draft) props.IsEnterpriseProject = true;
    const taskView = this.taskView;
    const navs: NonNullable<EntityView['navs']> = {
      CheckedOutBy: () => (p.checkout ? { type: 'SP.User', uri: `${uri}/CheckedOutBy`, props: { LoginName: p.checkout.user, Title: p.checkout.user } } : null),
      Tasks: () => lazyViews(planTasks(p, draft), (t) => this.task(p, t, draft)),
      TaskLinks: () => taskLinks(this.ctx, p, draft, taskView),
      Assignments: () => projectAssignments(this.ctx, p, draft, taskView),
      ProjectResources: () => projectResources(p, this.state().resources, draft).map((r) => projectResourceView(this.ctx, p, r, draft, taskView)),
      Calendar: () => {
        const calendar = this.state().calendars.find((c) => c.Id === p.CalendarId);
        return calendar ? calendarView(this.ctx, calendar) : null;
      },
      // The same project, with its project-level custom field values as `Custom_x005f_…` properties.
      IncludeCustomFields: () => this.project(p, draft),
    };
    if (!draft) navs.Draft = () => this.project(p, true);
    return { type: draft ? 'PS.DraftProject' : 'PS.PublishedProject', uri, props, navs };
  }

  draftProject(p: SimProject): EntityView {
    return this.project(p, true);
  }

  private readonly taskView = (p: SimProject, t: SimTask, draft: boolean): EntityView => this.task(p, t, draft);

  task(p: SimProject, t: SimTask, draft: boolean): EntityView {
    return new LazyTaskView(this, p, t, draft);
  }

  /** For LazyTaskView: the parts of a task's view, built on first read. */
  taskUri(p: SimProject, t: SimTask, draft: boolean): string {
    return `${projectUri(this.ctx, p, draft)}/Tasks('${t.Id}')`;
  }

  taskNavs(p: SimProject, t: SimTask, draft: boolean): NonNullable<EntityView['navs']> {
    return {
      Parent: () => {
        const parent = t.ParentId ? taskById(planTasks(p, draft), t.ParentId) : undefined;
        // Siblings share their parent's view, so its props are built once per page, not once per child.
        return parent ? sharedView(this.ctx, `Parent ${draft} ${p.Id} ${parent.Id}`, () => this.task(p, parent, draft)) : null;
      },
      Assignments: () => t.assignments.map((a) => assignmentView(this.ctx, p, t, a, draft, this.taskView)),
      Predecessors: () => taskLinks(this.ctx, p, draft, this.taskView, (l) => l.EndId === t.Id),
      Successors: () => taskLinks(this.ctx, p, draft, this.taskView, (l) => l.StartId === t.Id),
      // The fields that hold a value on this task.
      CustomFields: () => this.state().customFields.filter((f) => f.Id in t.custom).map((f) => this.customField(f)),
      // Tasks follow the project calendar unless given their own; none is in the demo plans.
      Calendar: () => null,
    };
  }

  taskProps(p: SimProject, t: SimTask, draft: boolean): Record<string, unknown> {
    const props: Record<string, unknown> = {};
    for (const name of taskPropertyNames(t, draft)) props[name] = this.taskProperty(p, t, draft, name);
    return props;
  }

  taskProperty(p: SimProject, t: SimTask, draft: boolean, name: string): unknown {
    return taskProperty(p, t, draft, name, this.renderCustomValue);
  }

  enterpriseResource(id: string): EntityView | null {
    const r = this.state().resources.find((x) => x.Id === id);
    return r ? enterpriseResourceView(this.ctx, r) : null;
  }

  enterpriseResources(): EntityView[] {
    return this.state().resources.map((r) => enterpriseResourceView(this.ctx, r));
  }

  calendars(): EntityView[] {
    return this.state().calendars.map((c) => calendarView(this.ctx, c));
  }

  private readonly renderCustomValue = (fieldId: string, value: unknown): unknown => this.customValue(fieldId, value);

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
        LookupTableId: f.LookupTableId ?? EMPTY_GUID,
        LookupDefaultValue: EMPTY_GUID,
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
      // Edm.Decimal travels as a string in OData v3 JSON.
      props: { Id: e.Id, FullValue: e.FullValue, Value: e.FullValue, Description: e.Description, InternalName: lookupEntryInternalName(e.Id), SortIndex: e.SortIndex.toFixed(2), HasChildren: false },
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

/**
 * A task's view whose URI, props and navigations are built when first read: a page of a
 * 5,000-task plan renders 100 tasks, and the other 4,900 views of the collection must cost (and
 * leave for the garbage collector) next to nothing. A class, so each view is one small object.
 */
class LazyTaskView implements EntityView {
  readonly type: string;
  private builtUri: string | undefined;
  private builtProps: Record<string, unknown> | undefined;
  private builtNames: readonly string[] | undefined;
  private builtNavs: EntityView['navs'] | undefined;

  constructor(private readonly views: Views, private readonly p: SimProject, private readonly t: SimTask, private readonly draft: boolean) {
    this.type = draft ? 'PS.DraftTask' : 'PS.PublishedTask';
  }

  get uri(): string {
    return (this.builtUri ??= this.views.taskUri(this.p, this.t, this.draft));
  }

  get props(): Record<string, unknown> {
    return (this.builtProps ??= this.views.taskProps(this.p, this.t, this.draft));
  }

  get propertyNames(): readonly string[] {
    return (this.builtNames ??= taskPropertyNames(this.t, this.draft));
  }

  property(name: string): unknown {
    return this.builtProps ? this.builtProps[name] : this.views.taskProperty(this.p, this.t, this.draft, name);
  }

  get navs(): EntityView['navs'] {
    return (this.builtNavs ??= this.views.taskNavs(this.p, this.t, this.draft));
  }
}
