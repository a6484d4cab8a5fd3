import type { ApiContext, ApiRequest, ApiResult } from './api.js';
import { adoErrors, AdoSimError } from './errors.js';
import type { ProcessName, SimProcess, SimProject, SimState } from './model.js';
import { NO_PARENT_PROCESS, PROCESSES } from './processes.js';

/**
 * Processes - List / Get of the work item tracking process API (`{org}/_apis/work/processes`,
 * processes 7.1 spec, ProcessInfo). Unlike core's `_apis/process/processes`, this one says how a
 * process is customized and which process an inherited one derives from, which is what tells
 * PlanBridge that "Contoso Agile" has Agile's backlog levels.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Entry = { typeId: string; referenceName: string | null; name: string; description: string; parent: string; customization: 'system' | 'inherited' | 'custom'; isDefault: boolean; isEnabled: boolean; uses: (p: SimProject) => boolean };

function entries(state: SimState): Entry[] {
  const system = (Object.keys(PROCESSES) as ProcessName[]).map((name): Entry => ({
    // ADO leaves the reference name of a system process null and its parent the empty GUID.
    typeId: PROCESSES[name].typeId, referenceName: null, name, description: PROCESSES[name].description, parent: NO_PARENT_PROCESS,
    customization: 'system', isDefault: name === 'Agile', isEnabled: true, uses: (p) => !p.customProcess && p.process === name,
  }));
  const own = state.processes.map((x: SimProcess): Entry => ({
    typeId: x.typeId, referenceName: x.referenceName, name: x.name, description: x.description,
    // An XML (custom) process has no parent in ADO's answer, whatever types it carries.
    parent: x.customization === 'inherited' ? PROCESSES[x.base].typeId : NO_PARENT_PROCESS,
    customization: x.customization, isDefault: false, isEnabled: x.isEnabled, uses: (p) => p.customProcess === x,
  }));
  return [...system, ...own];
}

function view(ctx: ApiContext, e: Entry, withProjects: boolean): Record<string, unknown> {
  return {
    typeId: e.typeId, referenceName: e.referenceName, name: e.name, description: e.description,
    parentProcessTypeId: e.parent, isEnabled: e.isEnabled, customizationType: e.customization, isDefault: e.isDefault,
    ...(withProjects ? {
      projects: ctx.state.projects.filter(e.uses).map((p) => ({ id: p.id, name: p.name, description: p.description, url: `${ctx.base}/_apis/projects/${p.id}` })),
    } : {}),
  };
}

/** `$expand`: the client library sends the enum number (GetProcessExpandLevel), people send the name. */
function expandsProjects(raw: string | null): boolean {
  const v = (raw ?? '').trim().toLowerCase();
  if (v === '' || v === 'none' || v === '0') return false;
  if (v === 'projects' || v === '1') return true;
  throw adoErrors.badRequest(`The value '${raw}' is not valid for $expand; use none or projects.`);
}

export function workProcesses(ctx: ApiContext, req: ApiRequest, rest: string[]): ApiResult {
  if (req.method !== 'GET') throw new AdoSimError(405, 'MethodNotAllowedException', `The ${req.method} method is not supported by the simulator for ${rest.join('/')}.`);
  const withProjects = expandsProjects(req.query.get('$expand'));
  const all = entries(ctx.state);
  if (rest.length === 2) {
    const value = all.map((e) => view(ctx, e, withProjects));
    return { status: 200, body: { count: value.length, value } };
  }
  if (rest.length === 3) {
    const id = req.rest[2]!;
    const found = GUID.test(id) ? all.find((e) => e.typeId === id.toLowerCase()) : undefined;
    if (!found) throw adoErrors.processNotFound(id);
    return { status: 200, body: view(ctx, found, withProjects) };
  }
  throw adoErrors.notFound(`_apis/${req.rest.join('/')}`);
}
