import type { SimProject, SimTask, SimTaskLink } from './model.js';
import type { EntityView } from './odata.js';
import { taskById } from './task-index.js';
import { type ViewContext, planLinks, planTasks, projectUri } from './view-context.js';
import { durationString } from './wire.js';

/**
 * Task dependencies as PS.PublishedTaskLink / PS.DraftTaskLink. `Start` is the predecessor and
 * `End` the successor. Lag is in the Project Online dump only: `LinkLag` in tenths of a minute
 * (Project's unit for link lag), `LinkLagFmt` the display unit (7 = days, Project's pjDays), and
 * `LinkLagDuration` the display text.
 */

const LAG_FORMAT_DAYS = 7;

type TaskView = (p: SimProject, t: SimTask, draft: boolean) => EntityView;

export function taskLinkView(ctx: ViewContext, p: SimProject, l: SimTaskLink, draft: boolean, taskView: TaskView): EntityView {
  const tasks = planTasks(p, draft);
  const find = (id: string): EntityView | null => {
    const t = taskById(tasks, id);
    return t ? taskView(p, t, draft) : null;
  };
  const lag = durationString(l.LagMinutes, p.MinutesPerDay);
  const props: Record<string, unknown> = draft
    ? { Id: l.Id, DependencyType: l.DependencyType, StartId: l.StartId, EndId: l.EndId, LinkLagDuration: lag, PredecessorTaskId: l.StartId, SuccessorTaskId: l.EndId }
    : { Id: l.Id, DependencyType: l.DependencyType, LinkLag: l.LagMinutes * 10, LinkLagDuration: lag, LinkLagFmt: LAG_FORMAT_DAYS, PredecessorTaskId: l.StartId, SuccessorTaskId: l.EndId, ProjUid: p.Id };
  return {
    type: draft ? 'PS.DraftTaskLink' : 'PS.PublishedTaskLink',
    uri: `${projectUri(ctx, p, draft)}/TaskLinks('${l.Id}')`,
    props,
    navs: { Start: () => find(l.StartId), End: () => find(l.EndId) },
  };
}

export function taskLinks(ctx: ViewContext, p: SimProject, draft: boolean, taskView: TaskView, filter: (l: SimTaskLink) => boolean = () => true): EntityView[] {
  return planLinks(p, draft).filter(filter).map((l) => taskLinkView(ctx, p, l, draft, taskView));
}
