import { identityRef } from './identities.js';
import type { SimIdentity, SimProject } from './model.js';
import { PROCESSES, projectTypeDef, typeFields } from './processes.js';

/**
 * Work item type categories (`{project}/_apis/wit/workItemTypeCategories`, wit 7.1) and the
 * new-item template (`GET {project}/_apis/wit/workItems/${type}`). A project's categories are its
 * process's backlog levels plus the Bug category, named as ADO names them ("Requirement Category").
 */
export function typeCategoryViews(base: string, p: SimProject): Array<Record<string, unknown>> {
  const typeRef = (name: string) => ({ name, url: `${base}/${p.id}/_apis/wit/workItemTypes/${encodeURIComponent(name)}` });
  const levels = PROCESSES[p.process].backlogs.map((b) => ({ ref: b.id, types: b.types.filter((t) => t !== 'Bug') }));
  const bug = projectTypeDef(p, 'Bug') ? [{ ref: 'Microsoft.BugCategory', types: ['Bug'] }] : [];
  return [...bug, ...levels].map((c) => ({
    name: `${c.ref.replace(/^Microsoft\./, '').replace(/Category$/, '')} Category`,
    referenceName: c.ref,
    defaultWorkItemType: typeRef(c.types[0]!),
    workItemTypes: c.types.map(typeRef),
    url: `${base}/${p.id}/_apis/wit/workItemTypeCategories/${c.ref}`,
  }));
}

/**
 * The fields a new item of the type starts with, before any rule runs: what the work item form
 * shows when it opens. No id, no rev: nothing is saved.
 */
export function workItemTemplate(base: string, p: SimProject, typeName: string, user: SimIdentity): Record<string, unknown> | null {
  const type = projectTypeDef(p, typeName);
  if (!type) return null;
  const me = identityRef(user, base);
  const has = typeFields(type);
  const fields: Record<string, unknown> = {
    'System.WorkItemType': type.name,
    'System.AreaPath': p.name,
    'System.TeamProject': p.name,
    'System.IterationPath': p.name,
    'System.State': type.states[0]!.name,
    'System.Reason': 'New',
    // ADO's "no date yet" (SQL Server's smallest datetime), as the official example shows.
    'Microsoft.VSTS.Common.StateChangeDate': '1753-01-01T00:00:00Z',
    'System.ChangedBy': me,
    'System.CreatedBy': me,
    ...(has.has('microsoft.vsts.common.priority') ? { 'Microsoft.VSTS.Common.Priority': 2 } : {}),
    ...(has.has('microsoft.vsts.common.severity') ? { 'Microsoft.VSTS.Common.Severity': '3 - Medium' } : {}),
    ...(has.has('microsoft.vsts.common.valuearea') ? { 'Microsoft.VSTS.Common.ValueArea': 'Business' } : {}),
  };
  const url = `${base}/${p.id}/_apis/wit/workItems/$${encodeURIComponent(type.name)}`;
  return {
    fields,
    _links: { workItemType: { href: `${base}/${p.id}/_apis/wit/workItemTypes/${encodeURIComponent(type.name)}` }, fields: { href: `${base}/${p.id}/_apis/wit/fields` } },
    url,
  };
}
