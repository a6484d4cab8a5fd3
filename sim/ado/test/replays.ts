import type { AdoSimulator } from '../server.js';

/**
 * How each official example is replayed against the demo organization. The examples name
 * Fabrikam's projects, ids and people; a replay sends the same request with the demo org's
 * (Phoenix for Fabrikam-Fiber-Git, Atlas for Fabrikam-Scrum, demo work item ids and users), so
 * the simulator's answer can be compared with the official one. Replays run in this order on one
 * simulator: later ones use what earlier ones made (`memo`).
 */
export interface ReplayContext {
  sim: AdoSimulator;
  /** Values one replay leaves for a later one (a created id, a comment id). */
  memo: Record<string, any>;
  /** Sends a request as the full-access demo PAT; resolves status and parsed body. */
  send(method: string, path: string, body?: unknown, contentType?: string): Promise<{ status: number; body: any }>;
}

export interface Replay {
  /** `{area}/{resource}/{file}` under examples/, as on disk. */
  example: string;
  /** The spec operation whose response schema the answer must meet (`{area}` spec). */
  operation: string;
  method: string;
  path: (c: ReplayContext, parameters: Record<string, any>) => string;
  body?: (c: ReplayContext, parameters: Record<string, any>) => unknown;
  contentType?: string;
  /** Setup the example takes for granted (the item exists, it has comments, ...). */
  before?: (c: ReplayContext) => Promise<void>;
  /** Remembers what later replays need. */
  after?: (c: ReplayContext, body: any) => void;
}

const PATCH = 'application/json-patch+json';
const TASK = 6;
const BUG = 9;
const READ = 5;
const item = (c: ReplayContext, id: number) => c.sim.state.items.get(id)!;
const phoenix = (c: ReplayContext) => c.sim.state.projects.find((p) => p.name === 'Phoenix')!;
const enc = encodeURIComponent;

/** The example's patch with Fabrikam's names, people, ids and revision made the demo org's. */
function localPatch(c: ReplayContext, id: number, ops: any[]): any[] {
  const it = item(c, id);
  const sam = c.sim.state.users.find((u) => u.displayName === 'Sam Lee')!;
  return ops.map((op) => {
    let text = JSON.stringify(op)
      .replace(/Fabrikam-Fiber-Git\\\\Website/g, 'Phoenix\\\\Web')
      .replace(/Fabrikam-Scrum/g, 'Atlas')
      .replace(/https:\/\/dev\.azure\.com\/fabrikam\/_apis\/wit\/workItems\/300/g, `${c.sim.url}/_apis/wit/workItems/${READ}`)
      .replace(/fabrikamfiber4@hotmail\.com/g, sam.uniqueName)
      .replace(/Jamal Hartnett/g, sam.displayName);
    if (op.path === '/rev') text = JSON.stringify({ ...op, value: it.rev });
    const out = JSON.parse(text);
    if (/^\/relations\/2(\/|$)/.test(out.path)) out.path = out.path.replace(/^\/relations\/2/, `/relations/${it.relations.length - 1}`);
    if (out.path === '/fields/System.AssignedTo' && out.value && typeof out.value === 'object') out.value = { ...out.value, id: sam.id, url: undefined };
    return out;
  });
}

const idsQuery = (p: Record<string, any>, ids: string) => {
  const q = new URLSearchParams({ ids });
  if (p.fields) q.set('fields', String(p.fields));
  if (p.$expand) q.set('$expand', String(p.$expand));
  if (p.asOf) q.set('asOf', new Date().toISOString());
  return q.toString();
};

const patchItem = (example: string, id: number, query = ''): Replay => ({
  example: `wit/workItems/${example}`, operation: 'Work Items_Update', method: 'PATCH', contentType: PATCH,
  path: () => `_apis/wit/workitems/${id}${query}`,
  body: (c, p) => localPatch(c, id, p.body),
});

const addComments = async (c: ReplayContext, n: number): Promise<void> => {
  for (let i = 0; i < n; i += 1) await c.send('POST', `Phoenix/_apis/wit/workItems/${READ}/comments`, { text: `Setup comment ${i + 1}` });
};

const nodeReplay = (example: string, operation: string, method: string, path: (c: ReplayContext) => string, body?: Replay['body'], extra: Partial<Replay> = {}): Replay => ({
  example: `wit/classificationNodes/${example}`, operation: `Classification Nodes_${operation}`, method, path: (c) => `Phoenix/_apis/wit/classificationNodes/${path(c)}`, ...(body ? { body } : {}), ...extra,
});

export const REPLAYS: Replay[] = [
  // core
  { example: 'core/projects/GET__projects.json', operation: 'Projects_List', method: 'GET', path: () => '_apis/projects' },
  { example: 'core/projects/POST__projects.json', operation: 'Projects_Create', method: 'POST', path: () => '_apis/projects', body: (_c, p) => ({ ...p.body, name: 'Vesta' }) },
  { example: 'core/teams/GET__projects__projectId__teams.json', operation: 'Teams_Get Teams', method: 'GET', path: () => '_apis/projects/Phoenix/teams' },
  { example: 'core/teams/GET__projects__projectId__teams__teamId_.json', operation: 'Teams_Get', method: 'GET', path: () => `_apis/projects/Phoenix/teams/${enc('Web Team')}` },
  { example: 'core/teams/GET__teams__mine-_mine.json', operation: 'Teams_Get All Teams', method: 'GET', path: () => '_apis/teams?$mine=true' },
  { example: 'core/teams/POST__projects__projectId__teams.json', operation: 'Teams_Create', method: 'POST', path: () => '_apis/projects/Phoenix/teams', body: (_c, p) => p.body },
  { example: 'core/teams/PATCH__projects__projectId__teams.json', operation: 'Teams_Update', method: 'PATCH', path: () => `_apis/projects/Phoenix/teams/${enc('Web Team')}`, body: (_c, p) => p.body },
  { example: 'core/teams/DELETE__projects__projectId__teams__newTeamId_.json', operation: 'Teams_Delete', method: 'DELETE', path: () => `_apis/projects/Phoenix/teams/${enc('Mobile Team')}` },
  { example: 'core/members/GET__projects__projectId__teams__teamId__members4.1_.json', operation: 'Teams_Get Team Members With Extended Properties', method: 'GET', path: () => `_apis/projects/Phoenix/teams/${enc('Phoenix Team')}/members` },

  // wit: metadata
  { example: 'wit/workItemRelationTypes/GET__relation_types.json', operation: 'Work Item Relation Types_List', method: 'GET', path: () => '_apis/wit/workItemRelationTypes' },
  { example: 'wit/workItemRelationTypes/GET__relation_type.json', operation: 'Work Item Relation Types_Get', method: 'GET', path: () => '_apis/wit/workItemRelationTypes/System.LinkTypes.Duplicate-Forward' },
  { example: 'wit/workItemTypes/GET__wit_workItemTypes.json', operation: 'Work Item Types_List', method: 'GET', path: () => 'Phoenix/_apis/wit/workItemTypes' },
  { example: 'wit/workItemTypes/GET__wit_workItemTypes_Bug.json', operation: 'Work Item Types_Get', method: 'GET', path: () => 'Phoenix/_apis/wit/workItemTypes/Bug' },
  { example: 'wit/workItemTypeStates/GET__workitem_type_states.json', operation: 'Work Item Type States_List', method: 'GET', path: (c) => `${phoenix(c).id}/_apis/wit/workitemtypes/Bug/states` },
  { example: 'wit/workItemTypesField/GET__workItemType_field.json', operation: 'Work Item Types Field_Get', method: 'GET', path: (c) => `${phoenix(c).id}/_apis/wit/workitemtypes/Bug/fields/System.IterationPath` },
  { example: 'wit/workItemTypesField/GET__workItemType_field_expand.json', operation: 'Work Item Types Field_Get', method: 'GET', path: (c) => `${phoenix(c).id}/_apis/wit/workitemtypes/Bug/fields/System.ChangedBy?$expand=All` },
  { example: 'wit/workItemTypesField/GET__workItemType_fields.json', operation: 'Work Item Types Field_List', method: 'GET', path: (c) => `${phoenix(c).id}/_apis/wit/workitemtypes/Bug/fields` },
  { example: 'wit/workItemTypesField/GET__workItemType_fields_expand.json', operation: 'Work Item Types Field_List', method: 'GET', path: () => 'Phoenix/_apis/wit/workitemtypes/Bug/fields?$expand=All' },
  { example: 'wit/workItemTypeCategories/GET__wit_workItemTypeCategories.json', operation: 'Work Item Type Categories_List', method: 'GET', path: () => 'Phoenix/_apis/wit/workItemTypeCategories' },
  { example: 'wit/workItemTypeCategories/GET__wit_workItemTypeCategories__categoryName_.json', operation: 'Work Item Type Categories_Get', method: 'GET', path: () => 'Phoenix/_apis/wit/workItemTypeCategories/Microsoft.RequirementCategory' },
  { example: 'wit/fields/GET__wit_fields.json', operation: 'Fields_List', method: 'GET', path: () => '_apis/wit/fields' },
  { example: 'wit/fields/GET__wit_fields__fieldName_.json', operation: 'Fields_Get', method: 'GET', path: () => '_apis/wit/fields/System.IterationPath' },
  {
    example: 'wit/fields/POST_wit_field.json', operation: 'Fields_Create', method: 'POST', path: () => '_apis/wit/fields',
    body: (_c, p) => ({ ...p.body, name: 'Plan Key', referenceName: 'Custom.PlanKey' }),
  },
  { example: 'wit/fields/UPDATE_wit_fields_LockField.json', operation: 'Fields_Update', method: 'PATCH', path: () => '_apis/wit/fields/Custom.PlanKey', body: (_c, p) => p.body },
  { example: 'wit/fields/UPDATE_wit_fields_UndeleteField.json', operation: 'Fields_Update', method: 'PATCH', path: () => '_apis/wit/fields/Custom.PlanKey', body: (_c, p) => p.body },

  // wit: classification nodes (the examples' sequence: create, rename, move under a parent, delete the parent)
  nodeReplay('GET__wit_classificationNodes_areas.json', 'Get', 'GET', () => 'areas'),
  nodeReplay('GET__wit_classificationNodes_areas__depth-2.json', 'Get', 'GET', () => 'areas?$depth=2'),
  nodeReplay('GET__wit_classificationNodes_areas__areaPath_.json', 'Get', 'GET', () => 'areas/Web'),
  nodeReplay('GET__wit_classificationNodes_iterations.json', 'Get', 'GET', () => 'iterations'),
  nodeReplay('GET__wit_classificationNodes_iterations__depth-2.json', 'Get', 'GET', () => 'iterations?$depth=2'),
  {
    example: 'wit/classificationNodes/GET__wit_classificationNodes_From_Ids.json', operation: 'Classification Nodes_Get Root Nodes', method: 'GET',
    path: (c) => `Phoenix/_apis/wit/classificationNodes?ids=${phoenix(c).areas.id},${phoenix(c).iterations.children[0]!.id}`,
  },
  {
    example: 'wit/classificationNodes/GET__wit_classificationNodes_From_Ids_ErrorPolicy.json', operation: 'Classification Nodes_Get Root Nodes', method: 'GET',
    path: (c) => `Phoenix/_apis/wit/classificationNodes?ids=${phoenix(c).areas.id},999999&errorPolicy=omit`,
  },
  nodeReplay('POST__wit_classificationNodes_areas.json', 'Create Or Update', 'POST', () => 'areas', () => ({ name: 'Website' })),
  nodeReplay('PATCH__wit_classificationNodes_areas__areaPath_.json', 'Update', 'PATCH', () => 'areas/Website', (_c, p) => p.body, { after: (c, b) => { c.memo.areaId = b?.id; } }),
  nodeReplay('POST__wit_classificationNodes_areas__areaParent_.json', 'Create Or Update', 'POST', () => `areas/${enc('Parent Area')}`, (c) => ({ id: c.memo.areaId }), {
    before: async (c) => { await c.send('POST', 'Phoenix/_apis/wit/classificationNodes/areas', { name: 'Parent Area' }); },
  }),
  nodeReplay('DELETE__wit_classificationNodes_areas__areaParent___reclassifyId-_rootAreaId_.json', 'Delete', 'DELETE', (c) => `areas/${enc('Parent Area')}?$reclassifyId=${phoenix(c).areas.id}`),
  nodeReplay('POST__wit_classificationNodes_iterations.json', 'Create Or Update', 'POST', () => 'iterations', (_c, p) => p.body),
  nodeReplay('GET__wit_classificationNodes_iterations__iterationPath_.json', 'Get', 'GET', () => `iterations/${enc('Final Iteration')}`),
  nodeReplay('PATCH__wit_classificationNodes_iterations__iterationPath_.json', 'Update', 'PATCH', () => `iterations/${enc('Final Iteration')}`, (_c, p) => p.body),
  nodeReplay('PATCH__wit_classificationNodes_iterations__iterationPathNew_.json', 'Update', 'PATCH', () => `iterations/${enc('Ultimate iteration')}`, (_c, p) => p.body, { after: (c, b) => { c.memo.iterationId = b?.id; } }),
  nodeReplay('POST__wit_classificationNodes_iterations__iterationParent_.json', 'Create Or Update', 'POST', () => `iterations/${enc('Parent Iteration')}`, (c) => ({ id: c.memo.iterationId }), {
    before: async (c) => { await c.send('POST', 'Phoenix/_apis/wit/classificationNodes/iterations', { name: 'Parent Iteration' }); },
  }),
  nodeReplay('DELETE__wit_classificationNodes_iterations__iterationParent___reclassifyId-_rootIterationId_.json', 'Delete', 'DELETE', (c) => `iterations/${enc('Parent Iteration')}?$reclassifyId=${phoenix(c).iterations.id}`),

  // wit: queries and reads
  { example: 'wit/wiql/GET__wit_get_id_workitems.json', operation: 'Wiql_Query By Wiql', method: 'POST', path: () => 'Phoenix/_apis/wit/wiql', body: (_c, p) => p.body },
  { example: 'wit/wiql/GET__wit_wiql__queryId_.json', operation: 'Wiql_Query By Id', method: 'GET', path: (c) => `Phoenix/_apis/wit/wiql/${c.sim.state.queries[0]!.id}` },
  { example: 'wit/workItemsBatch/POST__wit_WorkItemsBatch_ids-_ids__fields-_columns_.json', operation: 'Work Items_Get Work Items Batch', method: 'POST', path: () => '_apis/wit/workItemsBatch', body: (_c, p) => ({ ...p.body, ids: [4, 5, 6] }) },
  { example: 'wit/workItems/GET__wit_WorkItems_id.json', operation: 'Work Items_Get Work Item', method: 'GET', path: () => `Phoenix/_apis/wit/workItems/${READ}` },
  { example: 'wit/workItems/GET__wit_WorkItems_id _asOf.json', operation: 'Work Items_Get Work Item', method: 'GET', path: () => `Phoenix/_apis/wit/workItems/${READ}?asOf=${new Date().toISOString()}` },
  ...['', '__expand-all', '_fields-_columns_', '_fields-_columns__asOf-_asof_', '_fields-_columns__asOf-_asof_2', '_fields-_columns__asOf-_asof_3', '_fields-_columns__asOf-_asof_4'].map((suffix): Replay => ({
    example: `wit/workItems/GET__wit_WorkItems_ids-_ids_${suffix}.json`, operation: 'Work Items_List', method: 'GET',
    path: (_c, p) => `_apis/wit/workitems?${idsQuery(p, '4,5,6')}`,
  })),
  { example: 'wit/workItems/GET_work_item_template.json', operation: 'Work Items_Get Work Item Template', method: 'GET', path: () => 'Phoenix/_apis/wit/workItems/$Bug' },
  { example: 'wit/workItems/POST__wit_workitems_create.json', operation: 'Work Items_Create', method: 'POST', contentType: PATCH, path: (c) => `${phoenix(c).id}/_apis/wit/workItems/$Task`, body: (_c, p) => p.body, after: (c, b) => { c.memo.created = b?.id; } },

  // wit: updates, in the examples' order on one task, then the move of a bug to another project
  patchItem('PATCH__wit_workitems__taskId_.json', TASK),
  ...[3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map((n) => patchItem(`PATCH__wit_workitems__taskId_${n}.json`, TASK)),
  patchItem('PATCH__wit_workitems__taskId__bypassRules-true.json', TASK, '?bypassRules=true'),
  patchItem('PATCH__wit_workitems__taskId_validate_only.json', TASK, '?validateOnly=true'),
  patchItem('PATCH__wit_workitems__bug1Id_.json', BUG),
  patchItem('PATCH__wit_workitems__bug1Id_2.json', BUG),

  // wit: history of the task the updates changed
  { example: 'wit/revisions/GET__list_workitem_revisions.json', operation: 'Revisions_List', method: 'GET', path: () => `_apis/wit/workItems/${TASK}/revisions` },
  { example: 'wit/revisions/GET__list_workitem_revisions_paged.json', operation: 'Revisions_List', method: 'GET', path: () => `_apis/wit/workItems/${TASK}/revisions?$top=2&$skip=1` },
  { example: 'wit/revisions/GET__list_workitem_revisions_project_scope.json', operation: 'Revisions_List', method: 'GET', path: () => `Phoenix/_apis/wit/workItems/${TASK}/revisions` },
  { example: 'wit/revisions/GET__workitem_revision.json', operation: 'Revisions_Get', method: 'GET', path: () => `_apis/wit/workItems/${TASK}/revisions/2` },
  { example: 'wit/revisions/GET__workitem_revision_project_scope.json', operation: 'Revisions_Get', method: 'GET', path: () => `Phoenix/_apis/wit/workItems/${TASK}/revisions/2` },
  { example: 'wit/updates/GET__list_of_workitem_updates.json', operation: 'Updates_List', method: 'GET', path: () => `_apis/wit/workItems/${TASK}/updates` },
  { example: 'wit/updates/GET__list_of_workitem_updates_paged.json', operation: 'Updates_List', method: 'GET', path: () => `_apis/wit/workItems/${TASK}/updates?$top=2&$skip=1` },
  { example: 'wit/updates/GET__list_of_workitem_updates_projectscope.json', operation: 'Updates_List', method: 'GET', path: () => `Phoenix/_apis/wit/workItems/${TASK}/updates` },
  { example: 'wit/updates/GET__work_item_update.json', operation: 'Updates_Get', method: 'GET', path: () => `_apis/wit/workItems/${TASK}/updates/2` },
  { example: 'wit/updates/GET__work_item_update_project_scope.json', operation: 'Updates_Get', method: 'GET', path: () => `Phoenix/_apis/wit/workItems/${TASK}/updates/2` },

  // wit: comments on a story
  {
    example: 'wit/comments/POST__wit_workitems__taskId__comments_create.json', operation: 'Comments_Add Comment', method: 'POST',
    path: () => `Phoenix/_apis/wit/workItems/${READ}/comments`, body: (_c, p) => p.body, after: (c, b) => { c.memo.commentId = b?.id; },
  },
  { example: 'wit/comments/GET__wit_workitems__issueId__comments__commentId_1.json', operation: 'Comments_Get Comment', method: 'GET', path: (c) => `Phoenix/_apis/wit/workItems/${READ}/comments/${c.memo.commentId}` },
  { example: 'wit/comments/GET__wit_workitems__issueId__comments_3.json', operation: 'Comments_Get Comments Batch', method: 'GET', path: (c) => `Phoenix/_apis/wit/workItems/${READ}/comments?ids=${c.memo.commentId}` },
  {
    example: 'wit/comments/GET__wit_workitems__issueId__comments_1.json', operation: 'Comments_Get Comments Batch', method: 'GET',
    path: () => `Phoenix/_apis/wit/workItems/${READ}/comments?$top=2`, before: (c) => addComments(c, 2), after: (c, b) => { c.memo.continuationToken = b?.continuationToken; },
  },
  { example: 'wit/comments/GET__wit_workitems__issueId__comments_2.json', operation: 'Comments_Get Comments Batch', method: 'GET', path: (c) => `Phoenix/_apis/wit/workItems/${READ}/comments?continuationToken=${c.memo.continuationToken}` },
  { example: 'wit/comments/GET__wit_workitems__taskId__comments_1.json', operation: 'Comments_Get Comment', method: 'GET', path: (c) => `Phoenix/_apis/wit/workitems/${READ}/comments/${c.memo.commentId}` },
  { example: 'wit/comments/GET__wit_workitems__taskId__comments_1_collectionscope.json', operation: 'Comments_Get Comment', method: 'GET', path: (c) => `_apis/wit/workitems/${READ}/comments/${c.memo.commentId}` },
  { example: 'wit/comments/GET__wit_workitems__taskId__comments_2.json', operation: 'Comments_Get Comments Batch', method: 'GET', path: () => `Phoenix/_apis/wit/workitems/${READ}/comments?fromRevision=2&$top=2&order=asc` },
  { example: 'wit/comments/GET__wit_workitems__taskId__comments_2_collectionscope.json', operation: 'Comments_Get Comments Batch', method: 'GET', path: () => `_apis/wit/workitems/${READ}/comments?fromRevision=2&$top=2&order=asc` },
  { example: 'wit/comments/PATCH__wit_workitems__taskId__comments_1.json', operation: 'Comments_Update Comment', method: 'PATCH', path: (c) => `Phoenix/_apis/wit/workItems/${READ}/comments/${c.memo.commentId}`, body: (_c, p) => p.body },
  { example: 'wit/comments/DELETE__wit_workitems__taskId__comments_1.json', operation: 'Comments_Delete', method: 'DELETE', path: (c) => `Phoenix/_apis/wit/workItems/${READ}/comments/${c.memo.commentId}` },

  { example: 'wit/workItems/DELETE__wit_workitems_id_.json', operation: 'Work Items_Delete', method: 'DELETE', path: (c) => `Phoenix/_apis/wit/workitems/${c.memo.created}` },

  // work
  { example: 'work/teamsettings/GET__work_teamsettings.json', operation: 'Teamsettings_Get', method: 'GET', path: () => 'Phoenix/_apis/work/teamsettings' },
  { example: 'work/teamsettings/PATCH__work_teamsettings.json', operation: 'Teamsettings_Update', method: 'PATCH', path: () => 'Phoenix/_apis/work/teamsettings', body: (_c, p) => p.body },
  { example: 'work/teamsettings/PATCH__work_teamsettings2.json', operation: 'Teamsettings_Update', method: 'PATCH', path: () => 'Phoenix/_apis/work/teamsettings', body: (_c, p) => p.body },
  { example: 'work/teamFieldValues/GET__work_teamsettings_teamfieldvalues.json', operation: 'Teamfieldvalues_Get', method: 'GET', path: () => 'Phoenix/_apis/work/teamsettings/teamfieldvalues' },
  { example: 'work/teamFieldValues/PATCH__work_teamsettings_teamfieldvalues.json', operation: 'Teamfieldvalues_Update', method: 'PATCH', path: () => 'Phoenix/_apis/work/teamsettings/teamfieldvalues', body: (_c, p) => p.body },
  { example: 'work/teamFieldValues/PATCH__work_teamsettings_teamfieldvalues2.json', operation: 'Teamfieldvalues_Update', method: 'PATCH', path: () => 'Phoenix/_apis/work/teamsettings/teamfieldvalues', body: (_c, p) => p.body },
  { example: 'work/backlogs/GET__work_backlogs.json', operation: 'Backlogs_List', method: 'GET', path: () => 'Phoenix/_apis/work/backlogs' },
  { example: 'work/backlogs/GET__work_backlogs_byBacklogId.json', operation: 'Backlogs_Get Backlog', method: 'GET', path: () => 'Phoenix/_apis/work/backlogs/Microsoft.FeatureCategory' },
  { example: 'work/iterations/GET__work_teamsettings_iterations__timeframe-_timeframe_.json', operation: 'Iterations_List', method: 'GET', path: () => 'Phoenix/_apis/work/teamsettings/iterations?$timeframe=current' },
  {
    example: 'work/iterations/GET__work_teamsettings_iterations__iterationId_.json', operation: 'Iterations_Get', method: 'GET',
    path: (c) => `Phoenix/_apis/work/teamsettings/iterations/${phoenix(c).iterations.children[1]!.identifier}`,
  },
  {
    example: 'work/iterations/DELETE__work_teamsettings_iterations__iterationId_.json', operation: 'Iterations_Delete', method: 'DELETE',
    path: (c) => `Phoenix/_apis/work/teamsettings/iterations/${phoenix(c).iterations.children[0]!.identifier}`,
  },
  {
    example: 'work/iterations/POST__work_teamsettings_iterations.json', operation: 'Iterations_Post Team Iteration', method: 'POST',
    path: () => 'Phoenix/_apis/work/teamsettings/iterations', body: (c) => ({ id: phoenix(c).iterations.children[0]!.identifier }),
  },
];

/** Example folders whose routes the simulator advertises: each of their files is replayed or listed as an allowed difference. */
export const SERVED_FOLDERS = [
  'core/projects', 'core/teams', 'core/members',
  'wit/workItemRelationTypes', 'wit/workItemTypes', 'wit/workItemTypeStates', 'wit/workItemTypesField', 'wit/workItemTypeCategories', 'wit/fields',
  'wit/classificationNodes', 'wit/wiql', 'wit/workItemsBatch', 'wit/workItems', 'wit/revisions', 'wit/updates', 'wit/comments',
  'work/teamsettings', 'work/teamFieldValues', 'work/backlogs', 'work/iterations',
];
