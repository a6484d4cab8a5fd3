import type { ProcessInfo } from 'azure-devops-node-api/interfaces/WorkItemTrackingProcessInterfaces.js';
import { AdoConnectorError } from './errors.js';
import type { AdoSession } from './session.js';
import type { AdoProjectProcess, AdoSystemProcess } from './types.js';

/**
 * Which of the four system processes a project's process is, inherits from or works like. Most
 * organizations use inherited processes ("Contoso Agile"), and the project names only that; the
 * process API's parentProcessTypeId leads to the system one. An XML (custom) process has no
 * parent, so its work item types decide.
 */

/** The system processes' type ids: the same in every organization and collection. */
export const SYSTEM_PROCESS_IDS: Readonly<Record<string, AdoSystemProcess>> = {
  'adcc42ab-9882-485e-a3ed-7678f01f66bc': 'Agile',
  '6b724908-ef14-45cf-84f8-768b5384da45': 'Scrum',
  '27450541-8e31-4150-9947-dc59f998fc01': 'CMMI',
  'b8a3a935-7e91-48b8-a94c-606d37c3e9f2': 'Basic',
};

const SYSTEM_NAMES: readonly AdoSystemProcess[] = ['Agile', 'Scrum', 'CMMI', 'Basic'];
const systemByName = (name: string | undefined): AdoSystemProcess | null => SYSTEM_NAMES.find((n) => n.toLowerCase() === (name ?? '').toLowerCase()) ?? null;

/** The requirement-level type gives the process away; Agile also has Issue, so Issue counts last. */
export function baseFromTypes(typeNames: readonly string[]): AdoSystemProcess | null {
  const has = new Set(typeNames.map((t) => t.toLowerCase()));
  if (has.has('user story')) return 'Agile';
  if (has.has('product backlog item')) return 'Scrum';
  if (has.has('requirement')) return 'CMMI';
  if (has.has('issue')) return 'Basic';
  return null;
}

/** The library turns `customizationType` into its enum number (System 1, Inherited 2, Custom 3); servers send names. */
function customizationOf(info: ProcessInfo): AdoProjectProcess['customization'] {
  const raw = String(info.customizationType ?? '').toLowerCase();
  if (raw === '1' || raw === 'system') return 'system';
  if (raw === '2' || raw === 'inherited') return 'inherited';
  if (raw === '3' || raw === 'custom') return 'custom';
  return 'unknown';
}

/**
 * The label the link card shows. Flows read the base back from it through the AdoDirectory port
 * (sync/processes.ts `readProcessLabel`), so the two wordings must stay in step.
 */
export function processLabel(name: string, customization: AdoProjectProcess['customization'], base: AdoSystemProcess | null): string {
  // A system process goes by its canonical name, whatever a server calls it.
  if (customization === 'system' && base) return base;
  if (customization === 'inherited' && base) return `${name} (inherits ${base})`;
  if (customization === 'unknown') return base ? `${name} (works like ${base})` : name;
  return base ? `${name} (custom process, works like ${base})` : `${name} (custom process)`;
}

/** Processes - Get; null when the process API does not know the id or is not there (older servers). */
async function processInfo(session: AdoSession, typeId: string): Promise<ProcessInfo | null> {
  try {
    return await session.call({ what: `read process ${typeId}`, scope: 'work-read' }, async () => (await session.processes()).getProcessByItsId(typeId));
  } catch (err) {
    // A dead or narrow PAT must still say so; anything else just means "ask the types instead".
    if (err instanceof AdoConnectorError && err.needsAttention) throw err;
    return null;
  }
}

async function typeNames(session: AdoSession, project: string): Promise<string[]> {
  const op = { what: `read work item types of ${project}`, scope: 'work-read' as const, project };
  const types = await session.call(op, async () => (await session.wit()).getWorkItemTypes(project));
  if (!types) throw await session.explainNull(op);
  return types.filter((t) => !t.isDisabled && t.name).map((t) => t.name!);
}

async function resolve(session: AdoSession, project: string, name: string, typeId: string): Promise<Omit<AdoProjectProcess, 'label'>> {
  const system = SYSTEM_PROCESS_IDS[typeId];
  if (system) return { name: name || system, typeId, customization: 'system', base: system, basedOn: 'process' };
  const info = typeId ? await processInfo(session, typeId) : null;
  const customization = info ? customizationOf(info) : 'unknown';
  const shown = name || info?.name || 'an unnamed process';
  if (info && customization === 'inherited') {
    const parentId = String(info.parentProcessTypeId ?? '').toLowerCase();
    const base = SYSTEM_PROCESS_IDS[parentId] ?? systemByName((await processInfo(session, parentId))?.name);
    if (base) return { name: shown, typeId, customization, base, basedOn: 'process' };
  }
  if (info && customization === 'system' && systemByName(info.name)) {
    return { name: shown, typeId, customization, base: systemByName(info.name), basedOn: 'process' };
  }
  const base = baseFromTypes(await typeNames(session, project));
  return { name: shown, typeId, customization, base, basedOn: base ? 'work-item-types' : null };
}

export async function projectProcess(session: AdoSession, project: string): Promise<AdoProjectProcess> {
  const op = { what: `read project ${project}`, scope: 'project-read' as const, project };
  const p = await session.call(op, async () => (await session.core()).getProject(project, true));
  if (!p) throw await session.explainNull(op);
  const template = p.capabilities?.processTemplate ?? {};
  const found = await resolve(session, project, template.templateName ?? '', (template.templateTypeId ?? '').toLowerCase());
  return { ...found, label: processLabel(found.name, found.customization, found.base) };
}
