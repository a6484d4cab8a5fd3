import type { EntityView, ODataFormat } from './odata.js';
import type { SimProject, SimState, SimTask } from './model.js';

/** What every entity view needs: the live state, the `_api` base for entity URIs, and the JSON format. */
export interface ViewContext {
  state: () => SimState;
  api: string;
  format: ODataFormat;
  /** Views many entities point at, built once: a context (and its Views) lives for one request, while the state cannot change. */
  shared: Map<string, EntityView>;
}

/** The view under `key` in this request, built by `build` the first time it is asked for. */
export function sharedView(ctx: ViewContext, key: string, build: () => EntityView): EntityView {
  let view = ctx.shared.get(key);
  if (!view) ctx.shared.set(key, (view = build()));
  return view;
}

export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

/** The tasks a view reads: the draft when `draft` and the project is checked out, else the published plan. */
export function planTasks(p: SimProject, draft: boolean): SimTask[] {
  return draft ? (p.draft ?? p.tasks) : p.tasks;
}

export function planLinks(p: SimProject, draft: boolean): SimProject['links'] {
  return draft ? (p.draftLinks ?? p.links) : p.links;
}

export function projectUri(ctx: ViewContext, p: SimProject, draft: boolean): string {
  return `${ctx.api}/ProjectServer/Projects('${p.Id}')${draft ? '/Draft' : ''}`;
}
