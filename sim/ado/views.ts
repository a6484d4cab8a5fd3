import { allPaths, type SimNode, type SimProcess, type SimProject, type SimState, type SimTeam } from './model.js';
import { FIELDS, PROCESSES, projectProcessRef, typeFields, type BacklogDef, type FieldDef, type TypeDef } from './processes.js';
import { RELATION_TYPES } from './workitems.js';

/** JSON shapes of the core, wit and work resources, as the 7.1 specs define them. */
export function projectView(base: string, p: SimProject, capabilities = false): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    url: `${base}/_apis/projects/${p.id}`,
    state: 'wellFormed',
    revision: p.revision,
    visibility: 'private',
    lastUpdateTime: p.lastUpdateTime,
    ...(capabilities ? {
      capabilities: {
        versioncontrol: { sourceControlType: 'Git', gitEnabled: 'true', tfvcEnabled: 'false' },
        // An inherited process is named here, not its parent: the parent is only in the process API.
        processTemplate: { templateName: projectProcessRef(p).name, templateTypeId: projectProcessRef(p).typeId },
      },
      _links: { self: { href: `${base}/_apis/projects/${p.id}` }, collection: { href: `${base}/_apis/projectCollections/${p.id}` }, web: { href: `${base}/${encodeURIComponent(p.name)}` } },
      defaultTeam: { id: p.defaultTeamId, name: p.teams[0]!.name, url: `${base}/_apis/projects/${p.id}/teams/${p.defaultTeamId}` },
    } : {}),
  };
}

export function teamView(base: string, p: SimProject, t: SimTeam): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    url: `${base}/_apis/projects/${p.id}/teams/${t.id}`,
    description: t.description,
    identityUrl: `${base}/_apis/Identities/${t.id}`,
    projectName: p.name,
    projectId: p.id,
  };
}

/** Core's Process (`_apis/process/processes`): system processes and the organization's own. */
export function processView(base: string, name: keyof typeof PROCESSES): Record<string, unknown> {
  const def = PROCESSES[name];
  return { id: def.typeId, description: def.description, isDefault: name === 'Agile', type: 'system', url: `${base}/_apis/process/processes/${def.typeId}`, name };
}

export function ownProcessView(base: string, p: SimProcess): Record<string, unknown> {
  return { id: p.typeId, description: p.description, isDefault: false, type: p.customization, url: `${base}/_apis/process/processes/${p.typeId}`, name: p.name };
}

/** Classification node; `path` is `\Project\Area\Web` (the structure group name is part of it). */
export function nodeView(base: string, project: SimProject, node: SimNode, depth: number, parentPath?: string): Record<string, unknown> {
  const group = node.structureType === 'area' ? 'Area' : 'Iteration';
  const path = parentPath ? `${parentPath}\\${node.name}` : `\\${project.name}\\${group}`;
  const rel = path.split('\\').slice(3).map(encodeURIComponent).join('/');
  const out: Record<string, unknown> = {
    id: node.id,
    identifier: node.identifier,
    name: node.name,
    structureType: node.structureType,
    hasChildren: node.children.length > 0,
    path,
    url: `${base}/${project.id}/_apis/wit/classificationNodes/${node.structureType === 'area' ? 'Areas' : 'Iterations'}${rel ? `/${rel}` : ''}`,
  };
  const url = String(out.url);
  out._links = { self: { href: url }, ...(parentPath ? { parent: { href: url.slice(0, url.lastIndexOf('/')) } } : {}) };
  if (node.startDate) out.attributes = { startDate: node.startDate, finishDate: node.finishDate };
  if (depth > 0 && node.children.length > 0) out.children = node.children.map((c) => nodeView(base, project, c, depth - 1, path));
  return out;
}

export function fieldView(base: string, f: FieldDef & { description?: string; isLocked?: boolean; isDeleted?: boolean }): Record<string, unknown> {
  return {
    name: f.name,
    referenceName: f.referenceName,
    description: f.description ?? '',
    type: f.type,
    usage: 'workItem',
    readOnly: f.readOnly,
    canSortBy: f.type !== 'html' && f.type !== 'history',
    isQueryable: true,
    supportedOperations: [{ referenceName: 'SupportedOperations.Equals', name: '=' }],
    isIdentity: f.type === 'identity',
    isPicklist: false,
    isPicklistSuggested: false,
    ...(f.isLocked ? { isLocked: true } : {}),
    ...(f.isDeleted ? { isDeleted: true } : {}),
    url: `${base}/_apis/wit/fields/${f.referenceName}`,
  };
}

export const ALL_FIELDS = FIELDS;

export function typeView(base: string, p: SimProject, t: TypeDef): Record<string, unknown> {
  const fields = [...typeFields(t).values()];
  return {
    name: t.name,
    referenceName: t.referenceName,
    description: `${t.name} in the ${projectProcessRef(p).name} process.`,
    color: t.color,
    icon: { id: t.icon, url: `${base}/_apis/wit/workItemIcons/${t.icon}?color=${t.color}&v=2` },
    isDisabled: false,
    fields: fields.map((f) => ({ referenceName: f.referenceName, name: f.name, url: `${base}/_apis/wit/fields/${f.referenceName}`, alwaysRequired: f.referenceName === 'System.Title' })),
    fieldInstances: fields.map((f) => ({ referenceName: f.referenceName, name: f.name, url: `${base}/_apis/wit/fields/${f.referenceName}`, alwaysRequired: f.referenceName === 'System.Title' })),
    states: t.states.map((s) => ({ name: s.name, color: s.color, category: s.category })),
    // Any state to any other, as the system processes allow; "" is the new item's first state.
    transitions: Object.fromEntries([['', [{ to: t.states[0]!.name }]], ...t.states.map((s) => [s.name, t.states.filter((o) => o !== s).map((o) => ({ to: o.name }))])]),
    url: `${base}/${p.id}/_apis/wit/workItemTypes/${encodeURIComponent(t.name)}`,
  };
}

export function stateViews(t: TypeDef): Array<Record<string, unknown>> {
  return t.states.map((s) => ({ name: s.name, color: s.color, category: s.category }));
}

/** A field of a type; with `$expand=all` (a type given) also its allowed values and dependent fields. */
export function typeFieldView(base: string, f: FieldDef, expandFor?: TypeDef): Record<string, unknown> {
  const expanded = expandFor
    ? { allowedValues: f.referenceName === 'System.State' ? expandFor.states.map((s) => s.name) : [], dependentFields: [] }
    : {};
  return { alwaysRequired: f.referenceName === 'System.Title', defaultValue: null, helpText: '', ...expanded, referenceName: f.referenceName, name: f.name, url: `${base}/_apis/wit/fields/${f.referenceName}` };
}

export function relationTypeViews(base: string): Array<Record<string, unknown>> {
  return RELATION_TYPES.map((r) => ({
    attributes: r.topology
      ? { usage: 'workItemLink', editable: false, enabled: true, acyclic: r.topology !== 'network', directional: r.topology !== 'network', singleTarget: r.name === 'Parent', topology: r.topology }
      : { usage: 'resourceLink', editable: false, enabled: true },
    referenceName: r.referenceName,
    name: r.name,
    url: `${base}/_apis/wit/workItemRelationTypes/${r.referenceName}`,
  }));
}

function iterationTimeFrame(node: SimNode): 'past' | 'current' | 'future' {
  const now = Date.now();
  if (node.finishDate && Date.parse(node.finishDate) + 86_400_000 < now) return 'past';
  if (node.startDate && Date.parse(node.startDate) > now) return 'future';
  return 'current';
}

export function teamIterationViews(base: string, p: SimProject, t: SimTeam): Array<Record<string, unknown>> {
  const nodes = allPaths(p.iterations);
  return t.iterations.flatMap((path) => {
    const n = nodes.find((x) => x.path.toLowerCase() === path.toLowerCase())?.node;
    if (!n) return [];
    return [{
      id: n.identifier,
      name: n.name,
      path,
      attributes: { startDate: n.startDate ?? null, finishDate: n.finishDate ?? null, timeFrame: iterationTimeFrame(n) },
      url: `${base}/${p.id}/${t.id}/_apis/work/teamsettings/iterations/${n.identifier}`,
    }];
  });
}

/** One team iteration (Get, Post) carries its links; the list does not (official examples). */
export function teamIterationLinks(base: string, p: SimProject, t: SimTeam, id: string): Record<string, unknown> {
  return {
    self: { href: `${base}/${p.id}/${t.id}/_apis/work/teamsettings/iterations/${id}` },
    project: { href: `${base}/_apis/projects/${p.id}` },
    team: { href: `${base}/_apis/projects/${p.id}/teams/${t.id}` },
    teamSettings: { href: `${base}/${p.id}/${t.id}/_apis/work/teamsettings` },
    teamIterations: { href: `${base}/${p.id}/${t.id}/_apis/work/teamsettings/iterations` },
  };
}

export function teamSettingsView(base: string, p: SimProject, t: SimTeam): Record<string, unknown> {
  const iteration = { id: p.iterations.identifier, name: p.name, path: '', url: `${base}/${p.id}/${t.id}/_apis/work/teamsettings/iterations/${p.iterations.identifier}` };
  const backlogs = PROCESSES[p.process].backlogs;
  const current = teamIterationViews(base, p, t).find((i) => (i.attributes as { timeFrame: string }).timeFrame === 'current');
  return {
    backlogIteration: iteration,
    ...(current ? { defaultIteration: { id: current.id, name: current.name, path: current.path, url: current.url } } : {}),
    bugsBehavior: 'asRequirements',
    backlogVisibilities: Object.fromEntries(backlogs.filter((b) => b.type === 'portfolio').map((b) => [b.id, true]).concat([['Microsoft.RequirementCategory', true]])),
    defaultIterationMacro: '@currentIteration',
    workingDays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
    url: `${base}/${p.id}/${t.id}/_apis/work/teamsettings`,
    _links: { self: { href: `${base}/${p.id}/${t.id}/_apis/work/teamsettings` } },
  };
}

export function teamFieldValuesView(base: string, p: SimProject, t: SimTeam): Record<string, unknown> {
  return {
    defaultValue: t.defaultArea,
    field: { referenceName: 'System.AreaPath', url: `${base}/_apis/wit/fields/System.AreaPath` },
    values: t.areas,
    url: `${base}/${p.id}/${t.id}/_apis/work/teamsettings/teamfieldvalues`,
    _links: { self: { href: `${base}/${p.id}/${t.id}/_apis/work/teamsettings/teamfieldvalues` } },
  };
}

export function backlogViews(base: string, p: SimProject, t: SimTeam): Array<Record<string, unknown>> {
  const typeRef = (name: string) => ({ name, url: `${base}/${p.id}/_apis/wit/workItemTypes/${encodeURIComponent(name)}` });
  return PROCESSES[p.process].backlogs.map((b: BacklogDef) => ({
    id: b.id,
    name: b.name,
    rank: b.rank,
    workItemCountLimit: 1000,
    addPanelFields: [{ referenceName: 'System.Title', name: 'Title', url: `${base}/_apis/wit/fields/System.Title` }],
    columnFields: [{ columnFieldReference: { referenceName: 'System.Title', name: 'Title', url: `${base}/_apis/wit/fields/System.Title` }, width: 400 }],
    workItemTypes: b.types.map(typeRef),
    defaultWorkItemType: typeRef(b.types[0]!),
    color: PROCESSES[p.process].types.find((x) => x.name === b.types[0])?.color ?? '009CCC',
    isHidden: false,
    type: b.type,
  }));
}

export function connectionDataView(state: SimState, pat: { user: { id: string; displayName: string; uniqueName: string; descriptor: string } }, mode: string): Record<string, unknown> {
  const user = {
    id: pat.user.id,
    descriptor: `Microsoft.IdentityModel.Claims.ClaimsIdentity;${pat.user.uniqueName}`,
    subjectDescriptor: pat.user.descriptor,
    providerDisplayName: pat.user.displayName,
    isActive: true,
    properties: { Account: { $type: 'System.String', $value: pat.user.uniqueName } },
    resourceVersion: 2,
    metaTypeId: 0,
  };
  return {
    authenticatedUser: user,
    authorizedUser: user,
    instanceId: state.instanceId,
    deploymentId: '8c1b8c3a-1d2e-4f5a-9b6c-7d8e9f0a1b2c',
    deploymentType: mode === 'cloud' ? 'hosted' : 'onPremises',
    locationServiceData: { serviceOwner: '00025394-6065-48ca-87d9-7f5672854ef7', defaultAccessMappingMoniker: 'PublicAccessMapping', lastChangeId: 1, lastChangeId64: 1 },
  };
}
