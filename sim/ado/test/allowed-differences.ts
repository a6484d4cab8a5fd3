/**
 * Every way the simulator's answer to an official example may differ from the example, with the
 * reason. Reviewed by hand: the conformance test fails on a difference missing here, and on an
 * entry here that no longer happens (so the list only shrinks when the simulator improves).
 *
 * `difference` is what the test reports: `status 405 (example 200)`, `missing key _links`,
 * `extra key commentVersionRef`, `schema <path> <message>` or `not replayed`. An extra key that the
 * 7.1 definition declares is not a difference (many examples are from older api-versions).
 *
 * Counts for issue 15: with this test's rules, the simulator as it was before the strictness
 * work (sim/ado at HEAD) differed from the examples in 73 ways (107 replays); now in the 31 listed here (23 examples).
 */
export interface AllowedDifference {
  example: string;
  difference: string;
  reason: string;
}

export const ALLOWED_DIFFERENCES: AllowedDifference[] = [
  { example: 'core/projects/POST__projects.json', difference: 'status 405 (example 202)', reason: 'Project creation is not simulated (an async operation on ADO). The simulator refuses it with 405 so azure-devops-node-api throws instead of resolving null.' },
  { example: 'core/teams/POST__projects__projectId__teams.json', difference: 'status 405 (example 200)', reason: 'Team writes are not simulated; 405 makes the client library throw rather than return null.' },
  { example: 'core/teams/PATCH__projects__projectId__teams.json', difference: 'status 405 (example 200)', reason: 'Team writes are not simulated; 405 makes the client library throw rather than return null.' },
  { example: 'core/teams/DELETE__projects__projectId__teams__newTeamId_.json', difference: 'status 405 (example 204)', reason: 'Team writes are not simulated; 405 makes the client library throw rather than return null.' },
  { example: 'wit/workItemTypes/GET__wit_workItemTypes.json', difference: 'missing key xmlForm', reason: 'The simulator has no work item form layout to serve as xmlForm; PlanBridge never reads it.' },
  { example: 'wit/workItemTypes/GET__wit_workItemTypes_Bug.json', difference: 'missing key xmlForm', reason: 'The simulator has no work item form layout (xmlForm) and no _links on a single type; PlanBridge reads neither.' },
  { example: 'wit/workItemTypes/GET__wit_workItemTypes_Bug.json', difference: 'missing key _links', reason: 'The simulator has no work item form layout (xmlForm) and no _links on a single type; PlanBridge reads neither.' },
  { example: 'wit/classificationNodes/GET__wit_classificationNodes_From_Ids_ErrorPolicy.json', difference: 'schema /1 must be object', reason: "errorPolicy=omit puts null where a node is missing, exactly as the official example does; the spec's item schema does not allow null." },
  { example: 'wit/wiql/GET__wit_wiql__queryId_.json', difference: 'missing key workItemRelations', reason: "The official example runs a tree (link) query; the simulator's saved queries are flat, which answer workItems instead of workItemRelations." },
  { example: 'wit/workItems/GET__wit_WorkItems_ids-_ids__fields-_columns__asOf-_asof_3.json', difference: 'status 400 (example 200)', reason: 'The example asks for System.Links.LinkType, a link-query field the simulator does not define, so it refuses the unknown field with 400.' },
  { example: 'wit/comments/POST__wit_workitems__taskId__comments_create.json', difference: 'missing key commentId', reason: 'The example is from 5.1-preview, which named the id commentId; 7.1 (Comment) names it id.' },
  { example: 'wit/comments/GET__wit_workitems__issueId__comments__commentId_1.json', difference: 'missing key commentId', reason: 'The example is from 5.1-preview, which named the id commentId; 7.1 (Comment) names it id.' },
  { example: 'wit/comments/GET__wit_workitems__taskId__comments_1.json', difference: 'missing key revision', reason: 'A 3.0-preview example of the retired revision-based comments API (a comment per revision); the 7.1 route at this path is by comment id.' },
  { example: 'wit/comments/GET__wit_workitems__taskId__comments_1.json', difference: 'missing key revisedBy', reason: 'A 3.0-preview example of the retired revision-based comments API (a comment per revision); the 7.1 route at this path is by comment id.' },
  { example: 'wit/comments/GET__wit_workitems__taskId__comments_1.json', difference: 'missing key revisedDate', reason: 'A 3.0-preview example of the retired revision-based comments API (a comment per revision); the 7.1 route at this path is by comment id.' },
  { example: 'wit/comments/GET__wit_workitems__taskId__comments_1_collectionscope.json', difference: 'status 404 (example 200)', reason: 'A 3.0-preview example without a project; the 7.1 comments route has the project in it, so the simulator answers 404 there.' },
  { example: 'wit/comments/GET__wit_workitems__taskId__comments_2.json', difference: 'missing key revision', reason: 'A 3.0-preview example of the retired revision-based comments API (fromRevision); the 7.1 route at this path pages Comment objects.' },
  { example: 'wit/comments/GET__wit_workitems__taskId__comments_2.json', difference: 'missing key text', reason: 'A 3.0-preview example of the retired revision-based comments API (fromRevision); the 7.1 route at this path pages Comment objects.' },
  { example: 'wit/comments/GET__wit_workitems__taskId__comments_2.json', difference: 'missing key revisedBy', reason: 'A 3.0-preview example of the retired revision-based comments API (fromRevision); the 7.1 route at this path pages Comment objects.' },
  { example: 'wit/comments/GET__wit_workitems__taskId__comments_2.json', difference: 'missing key revisedDate', reason: 'A 3.0-preview example of the retired revision-based comments API (fromRevision); the 7.1 route at this path pages Comment objects.' },
  { example: 'wit/comments/GET__wit_workitems__taskId__comments_2.json', difference: 'missing key url', reason: 'A 3.0-preview example of the retired revision-based comments API (fromRevision); the 7.1 route at this path pages Comment objects.' },
  { example: 'wit/comments/GET__wit_workitems__taskId__comments_2_collectionscope.json', difference: 'status 404 (example 200)', reason: 'A 3.0-preview example without a project; the 7.1 comments route has the project in it, so the simulator answers 404 there.' },
  { example: 'wit/comments/PATCH__wit_workitems__taskId__comments_1.json', difference: 'missing key commentId', reason: 'The example is from 5.1-preview, which named the id commentId; 7.1 (Comment) names it id.' },
  { example: 'wit/comments/DELETE__wit_workitems__taskId__comments_1.json', difference: 'missing key commentId', reason: 'The example is from 5.1-preview (commentId); 7.1 names it id, and the spec declares no body for Delete, so id counts as undeclared.' },
  { example: 'wit/comments/DELETE__wit_workitems__taskId__comments_1.json', difference: 'extra key id', reason: 'The example is from 5.1-preview (commentId); 7.1 names it id, and the spec declares no body for Delete, so id counts as undeclared.' },
  { example: 'wit/workItems/DELETE__wit_workitems_id_.json', difference: 'status 200 (example 204)', reason: "The example was recorded at api-version 4.0 (204); the 7.1 spec's Work Items_Delete answers 200 with a WorkItemDelete, which the simulator sends." },
  { example: 'work/teamsettings/PATCH__work_teamsettings.json', difference: 'status 405 (example 200)', reason: 'Team settings writes are not simulated; 405 makes the client library throw rather than return null.' },
  { example: 'work/teamsettings/PATCH__work_teamsettings2.json', difference: 'status 405 (example 200)', reason: 'Team settings writes are not simulated; 405 makes the client library throw rather than return null.' },
  { example: 'work/teamFieldValues/PATCH__work_teamsettings_teamfieldvalues.json', difference: 'status 405 (example 200)', reason: 'Team area writes are not simulated; 405 makes the client library throw rather than return null.' },
  { example: 'work/teamFieldValues/PATCH__work_teamsettings_teamfieldvalues2.json', difference: 'status 405 (example 200)', reason: 'Team area writes are not simulated; 405 makes the client library throw rather than return null.' },
  { example: 'work/backlogs/GET__work_backlogs_backlogItems_byBacklogId.json', difference: 'not replayed', reason: "Backlog level work items (location 7c468d96) are not advertised, so the client library fails with 'Failed to find api location' before any request." },
];
