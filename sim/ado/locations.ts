/**
 * Discovery data: the resource areas and resource locations (GUID + route template) that
 * azure-devops-node-api asks for before any call. GUIDs and templates are the ones listed in
 * ../shared/specs/ado/LOCATION-GUIDS.md, read from the library itself.
 */
export type SimMode = 'cloud' | 'server2019';

export interface LocationDef {
  id: string;
  area: string;
  resourceName: string;
  routeTemplate: string;
  /** Preview revision of the resource (the `.N` in `7.1-preview.N`). */
  resourceVersion: number;
  /** Set when only Azure DevOps Services (not Server 2019) has the resource. */
  cloudOnly?: boolean;
}

const l = (id: string, area: string, resourceName: string, routeTemplate: string, resourceVersion: number): LocationDef => ({ id, area, resourceName, routeTemplate, resourceVersion });

export const LOCATIONS: LocationDef[] = [
  l('00d9565f-ed9c-4a06-9a50-00e7896ccab4', 'Location', 'ConnectionData', '_apis/{resource}', 1),
  l('e81700f7-3be2-46de-8624-2eb35882fcaa', 'Location', 'ResourceAreas', '_apis/{resource}/{areaId}', 1),
  l('603fe2ac-9723-48b9-88ad-09305aa6c6e1', 'core', 'projects', '_apis/{resource}/{*projectId}', 4),
  l('d30a3dd1-f8ba-442a-b86a-bd0c0c383e59', 'core', 'teams', '_apis/projects/{projectId}/{resource}/{*teamId}', 3),
  l('7a4d9ee9-3433-4347-b47a-7a80f1cf307e', 'core', 'teams', '_apis/{resource}', 3),
  l('294c494c-2600-4d7e-b76c-3dd50c3c95be', 'core', 'members', '_apis/projects/{projectId}/teams/{teamId}/{resource}', 2),
  l('93878975-88c5-4e6a-8abb-7ddd77a8a7d8', 'core', 'processes', '_apis/process/{resource}/{*processId}', 1),
  // WorkItemTrackingProcessApi (area `processes`, served from the wit resource area's URL).
  l('02cc6a73-5cfb-427d-8c8e-b49fb086e8af', 'processes', 'processes', '_apis/work/{resource}/{processTypeId}', 2),
  l('1a9c53f7-f243-4447-b110-35ef023636e4', 'wit', 'wiql', '{project}/{team}/_apis/{area}/{resource}', 2),
  l('a02355f5-5f8a-4671-8e32-369d23aac83d', 'wit', 'wiql', '{project}/{team}/_apis/{area}/{resource}/{id}', 2),
  l('908509b6-4248-4475-a1cd-829139ba419f', 'wit', 'workItemsBatch', '{project}/_apis/{area}/{resource}', 1),
  l('72c7ddf8-2cdc-4f60-90cd-ab71c14a399b', 'wit', 'workItems', '{project}/_apis/{area}/{resource}/{id}', 3),
  l('62d3d110-0047-428c-ad3c-4fe872c91c74', 'wit', 'workItems', '{project}/_apis/{area}/{resource}/${type}', 3),
  l('7c8d7a76-4a09-43e8-b5df-bd792f4ac6aa', 'wit', 'workItemTypes', '{project}/_apis/{area}/{resource}/{type}', 2),
  l('7c9d7a76-4a09-43e8-b5df-bd792f4ac6aa', 'wit', 'states', '{project}/_apis/{area}/workitemtypes/{type}/{resource}', 1),
  l('bd293ce5-3d25-4192-8e67-e8092e879efb', 'wit', 'fields', '{project}/_apis/{area}/workitemtypes/{type}/{resource}/{field}', 3),
  l('b51fd764-e5c2-4b9b-aaf7-3395cf4bdd94', 'wit', 'fields', '{project}/_apis/{area}/{resource}/{fieldNameOrRefName}', 2),
  l('5a172953-1b41-49d3-840a-33f79c3ce89f', 'wit', 'classificationNodes', '{project}/_apis/{area}/{resource}/{structureGroup}/{*path}', 2),
  l('a70579d1-f53a-48ee-a5be-7be8659023b9', 'wit', 'classificationNodes', '{project}/_apis/{area}/{resource}', 2),
  l('f5d33bc9-5b49-4a3c-a9bd-f3cd46dd2165', 'wit', 'workItemRelationTypes', '_apis/{area}/{resource}/{relation}', 2),
  l('6570bf97-d02c-4a91-8d93-3abe9895b1a9', 'wit', 'updates', '{project}/_apis/{area}/workItems/{id}/{resource}/{updateNumber}', 3),
  l('a00c85a5-80fa-4565-99c3-bcd2181434bb', 'wit', 'revisions', '{project}/_apis/{area}/workItems/{id}/{resource}/{revisionNumber}', 3),
  // Comments (wit 7.1-preview.4). Server 2019 (5.0) predates this API, so only the cloud advertises it.
  { ...l('608aac0a-32e1-4493-a863-b9cf4566d257', 'wit', 'comments', '{project}/_apis/{area}/workItems/{workItemId}/{resource}/{commentId}', 4), cloudOnly: true },
  l('9b9f5734-36c8-415e-ba67-f83b45c31408', 'wit', 'workItemTypeCategories', '{project}/_apis/{area}/{resource}/{category}', 2),
  l('c9175577-28a1-4b06-9197-8636af9f64ad', 'work', 'iterations', '{project}/{team}/_apis/{area}/teamsettings/{resource}/{id}', 1),
  l('c3c1012b-bea7-49d7-b45e-1664e566f84c', 'work', 'teamsettings', '{project}/{team}/_apis/{area}/{resource}', 1),
  l('a93726f9-7867-4e38-b4f2-0bfafc2f6a94', 'work', 'backlogs', '{project}/{team}/_apis/{area}/{resource}/{id}', 1),
  l('07ced576-58ed-49e6-9c1e-5cb53ab8bf2a', 'work', 'teamfieldvalues', '{project}/{team}/_apis/{area}/teamsettings/{resource}', 1),
];

/** Resource area ids, as the client library's `RESOURCE_AREA_ID` constants. */
export const RESOURCE_AREAS: Array<{ id: string; name: string }> = [
  { id: '79134c72-4a58-4b42-976c-04e7115f32bf', name: 'core' },
  { id: '5264459e-e5e0-4bd8-b118-0985e68a4ec5', name: 'wit' },
  { id: '1d4f49f9-02b9-4e26-b826-2cdb6195f2a9', name: 'work' },
  { id: 'bb1e7ec9-e901-4b68-999a-de7012b920f8', name: 'Graph' },
  { id: '4e40f190-2e3f-4d9f-8331-c7788e833080', name: 'IMS' },
  { id: '8ccfef3d-2b87-4e99-8ccb-66e343d2daa8', name: 'Profile' },
];

/** What each mode advertises: cloud has 7.1 released and 7.2 in preview; Server 2019 tops out at 5.0. */
export function versionsFor(mode: SimMode): { maxVersion: string; releasedVersion: string } {
  return mode === 'cloud' ? { maxVersion: '7.2', releasedVersion: '7.1' } : { maxVersion: '5.0', releasedVersion: '5.0' };
}

/** The OPTIONS answer for one area, or null when the area is unknown (404). */
export function areaLocations(area: string, mode: SimMode): { count: number; value: unknown[] } | null {
  const { maxVersion, releasedVersion } = versionsFor(mode);
  const value = LOCATIONS.filter((x) => x.area.toLowerCase() === area.toLowerCase() && (mode === 'cloud' || !x.cloudOnly)).map((x) => ({
    id: x.id,
    area: x.area,
    resourceName: x.resourceName,
    routeTemplate: x.routeTemplate,
    resourceVersion: x.resourceVersion,
    minVersion: '1.0',
    maxVersion,
    releasedVersion,
  }));
  return value.length > 0 ? { count: value.length, value } : null;
}

/** Parses `api-version=7.1-preview.3` from an Accept header (or a query string value). */
export function parseApiVersion(raw: string | null | undefined): { text: string; version: number; preview: boolean } | null {
  const m = /(?:^|[;\s])api-version=(\d+(?:\.\d+)?)(-preview(?:\.\d+)?)?/i.exec(raw ?? '') ?? /^(\d+(?:\.\d+)?)(-preview(?:\.\d+)?)?$/i.exec(raw ?? '');
  if (!m) return null;
  return { text: `${m[1]}${m[2] ?? ''}`, version: Number(m[1]), preview: Boolean(m[2]) };
}
