import { EMPTY_DATE, type SimAssignment, type SimCalendar, type SimProject, type SimResource, type SimTask } from './model.js';
import type { EntityView } from './odata.js';
import { type ViewContext, planTasks, projectUri, sharedView } from './view-context.js';
import { addWorkForms, workString } from './wire.js';
import { percentWorkComplete, remainingWork } from './work.js';

/** Assignments, project and enterprise resources, and calendars, with the PS property names. */

type TaskView = (p: SimProject, t: SimTask, draft: boolean) => EntityView;

function workProps(work: number, actual: number, percentComplete: number): Record<string, unknown> {
  const remaining = remainingWork({ WorkMinutes: work, ActualWorkMinutes: actual });
  const props = addWorkForms({}, 'Work', work, workString(work));
  addWorkForms(props, 'ActualWork', actual, workString(actual));
  addWorkForms(props, 'RemainingWork', remaining, workString(remaining));
  props.PercentWorkComplete = percentWorkComplete(work, actual, percentComplete);
  return props;
}

export function assignmentView(ctx: ViewContext, p: SimProject, t: SimTask, a: SimAssignment, draft: boolean, taskView: TaskView): EntityView {
  const props: Record<string, unknown> = {
    Id: a.Id, Start: t.Start, Finish: t.Finish, Created: t.Created, Modified: t.Modified,
    // Assignment notes are rarely written; PWA returns null for them.
    Notes: null,
    ...workProps(a.WorkMinutes, a.ActualWorkMinutes, t.PercentComplete),
  };
  if (draft) Object.assign(props, { ResourceId: a.ResourceId, TaskId: t.Id });
  const resource = ctx.state().resources.find((r) => r.Id === a.ResourceId);
  return {
    type: draft ? 'PS.DraftAssignment' : 'PS.PublishedAssignment',
    uri: `${projectUri(ctx, p, draft)}/Assignments('${a.Id}')`,
    props,
    navs: {
      // Every assignment of a resource points at the same project resource, whose work sums scan the whole plan: built once per request.
      Resource: () => (resource ? sharedView(ctx, `ProjectResource ${draft} ${p.Id} ${resource.Id}`, () => projectResourceView(ctx, p, resource, draft, taskView)) : null),
      Task: () => taskView(p, t, draft),
    },
  };
}

/** Every assignment of the plan, in outline order. */
export function projectAssignments(ctx: ViewContext, p: SimProject, draft: boolean, taskView: TaskView): EntityView[] {
  return planTasks(p, draft).flatMap((t) => t.assignments.map((a) => assignmentView(ctx, p, t, a, draft, taskView)));
}

/** The project's team: every enterprise resource with an assignment in the plan. */
export function projectResources(p: SimProject, resources: SimResource[], draft: boolean): SimResource[] {
  const ids = new Set(planTasks(p, draft).flatMap((t) => t.assignments.map((a) => a.ResourceId)));
  return resources.filter((r) => ids.has(r.Id));
}

export function projectResourceView(ctx: ViewContext, p: SimProject, r: SimResource, draft: boolean, taskView: TaskView): EntityView {
  const mine = planTasks(p, draft).flatMap((t) => t.assignments.filter((a) => a.ResourceId === r.Id).map((a) => ({ t, a })));
  const work = mine.reduce((s, x) => s + x.a.WorkMinutes, 0);
  const actual = mine.reduce((s, x) => s + x.a.ActualWorkMinutes, 0);
  return {
    type: draft ? 'PS.DraftProjectResource' : 'PS.PublishedProjectResource',
    uri: `${projectUri(ctx, p, draft)}/ProjectResources('${r.Id}')`,
    props: {
      Id: r.Id, Name: r.Name, Email: r.Email, Initials: r.Initials, Group: r.Group, Code: null, IsGenericResource: r.IsGeneric,
      Created: r.Created, Modified: r.Modified,
      Start: mine.map((x) => x.t.Start).sort()[0] ?? EMPTY_DATE,
      Finish: mine.map((x) => x.t.Finish).sort().at(-1) ?? EMPTY_DATE,
      ...workProps(work, actual, 0),
    },
    navs: {
      Assignments: () => mine.map((x) => assignmentView(ctx, p, x.t, x.a, draft, taskView)),
      EnterpriseResource: () => enterpriseResourceView(ctx, r),
    },
  };
}

export function enterpriseResourceView(ctx: ViewContext, r: SimResource): EntityView {
  return {
    type: 'PS.EnterpriseResource',
    uri: `${ctx.api}/ProjectServer/EnterpriseResources('${r.Id}')`,
    props: {
      Id: r.Id, Name: r.Name, Email: r.Email, Initials: r.Initials, Group: r.Group, Code: null, ResourceType: r.ResourceType,
      IsGeneric: r.IsGeneric, IsActive: r.IsActive, IsBudget: false, IsTeam: false, Created: r.Created, Modified: r.Modified,
    },
  };
}

export function calendarView(ctx: ViewContext, c: SimCalendar): EntityView {
  const uri = `${ctx.api}/ProjectServer/Calendars('${c.Id}')`;
  return {
    type: 'PS.Calendar',
    uri,
    props: { Id: c.Id, Name: c.Name, IsStandardCalendar: c.IsStandardCalendar, Created: c.Created, Modified: c.Modified, OriginalId: c.Id },
    navs: {
      BaseCalendarExceptions: () => c.exceptions.map((e) => ({
        type: 'PS.BaseCalendarException',
        uri: `${uri}/BaseCalendarExceptions(${e.Id})`,
        // A one-off nonworking period: no recurrence, no working shifts.
        props: {
          Id: e.Id, Name: e.Name, Start: e.Start, Finish: e.Finish,
          RecurrenceDays: 0, RecurrenceFrequency: 1, RecurrenceMonth: 0, RecurrenceMonthDay: 0, RecurrenceType: 0, RecurrenceWeek: 0,
          Shift1Start: 0, Shift1Finish: 0, Shift2Start: 0, Shift2Finish: 0, Shift3Start: 0, Shift3Finish: 0, Shift4Start: 0, Shift4Finish: 0, Shift5Start: 0, Shift5Finish: 0,
        },
        navs: { Calendar: () => calendarView(ctx, c) },
      })),
    },
  };
}
