/**
 * The four inherited ADO processes as data: backlog levels, the leaf type and the workflow states
 * per work item type. Sources: the Agile, Scrum, CMMI and Basic process references on Microsoft Learn.
 */
export type ProcessName = 'Agile' | 'Scrum' | 'CMMI' | 'Basic';

export interface ProcessTemplate {
  readonly name: ProcessName;
  /** Portfolio levels then the requirement level, top first. */
  readonly levels: readonly string[];
  readonly leafType: string;
  /** The requirement-level type (last of `levels`). */
  readonly requirementType: string;
  /** Types that carry TargetDate rather than FinishDate. */
  readonly portfolioTypes: readonly string[];
  /** Workflow states (without Removed), in order, for the requirement/portfolio types. */
  readonly states: readonly string[];
  /** Workflow states of the leaf Task type, which differ in Agile and Scrum. */
  readonly taskStates: readonly string[];
  /** Types that may be imported as plan tasks by default. */
  readonly extraTaskTypes: readonly string[];
}

export const PROCESSES: Readonly<Record<ProcessName, ProcessTemplate>> = {
  Agile: {
    name: 'Agile',
    levels: ['Epic', 'Feature', 'User Story'],
    leafType: 'Task',
    requirementType: 'User Story',
    portfolioTypes: ['Epic', 'Feature'],
    states: ['New', 'Active', 'Resolved', 'Closed'],
    taskStates: ['New', 'Active', 'Closed'],
    extraTaskTypes: ['Bug', 'Issue'],
  },
  Scrum: {
    name: 'Scrum',
    levels: ['Epic', 'Feature', 'Product Backlog Item'],
    leafType: 'Task',
    requirementType: 'Product Backlog Item',
    portfolioTypes: ['Epic', 'Feature'],
    states: ['New', 'Approved', 'Committed', 'Done'],
    taskStates: ['To Do', 'In Progress', 'Done'],
    extraTaskTypes: ['Bug'],
  },
  CMMI: {
    name: 'CMMI',
    levels: ['Epic', 'Feature', 'Requirement'],
    leafType: 'Task',
    requirementType: 'Requirement',
    portfolioTypes: ['Epic', 'Feature'],
    states: ['Proposed', 'Active', 'Resolved', 'Closed'],
    taskStates: ['Proposed', 'Active', 'Resolved', 'Closed'],
    extraTaskTypes: ['Bug', 'Issue', 'Risk'],
  },
  Basic: {
    name: 'Basic',
    levels: ['Epic', 'Issue'],
    leafType: 'Task',
    requirementType: 'Issue',
    portfolioTypes: ['Epic'],
    states: ['To Do', 'Doing', 'Done'],
    taskStates: ['To Do', 'Doing', 'Done'],
    extraTaskTypes: [],
  },
};

export const PROCESS_NAMES: readonly ProcessName[] = ['Agile', 'Scrum', 'CMMI', 'Basic'];

/** States a work item of `type` can take in `process` (the Task list for the leaf type). */
export function statesFor(process: ProcessName, type: string): readonly string[] {
  const p = PROCESSES[process];
  return type === p.leafType ? p.taskStates : p.states;
}

/**
 * Checks that a hierarchy setting fits the process: every level and the leaf must be a type the
 * process has. Returns a problem a user can act on, or null.
 */
export function hierarchyProblem(process: ProcessName, levels: readonly string[], leafType: string): string | null {
  const p = PROCESSES[process];
  const known = new Set([...p.levels, p.leafType, ...p.extraTaskTypes]);
  if (levels.length === 0) return `Choose at least one hierarchy level, for example ${p.levels.join(' > ')}.`;
  const unknown = [...levels, leafType].filter((t) => !known.has(t));
  if (unknown.length > 0) {
    return `The ${process} process has no ${unknown.map((u) => `"${u}"`).join(', ')} type; use ${p.levels.join(' > ')} with ${p.leafType} as leaf.`;
  }
  const order = levels.map((l) => p.levels.indexOf(l));
  for (let i = 1; i < order.length; i++) {
    if (order[i]! <= order[i - 1]!) return `Levels must go from the top down, as in ${p.levels.join(' > ')}; "${levels[i]}" cannot sit under "${levels[i - 1]}".`;
  }
  return null;
}

/** How an ADO project's process reads on a card: its own name, and what ties it to a system process. */
export interface ProcessLabel {
  /** "Contoso Agile" */
  readonly name: string;
  /** The system process it is, inherits from or works like; null when the label names none. */
  readonly base: ProcessName | null;
  /** "(inherits Agile)", "(custom process, works like Scrum)", "(works like Basic)", or '' for a system process. */
  readonly note: string;
}

const SYSTEM_BY_LOWER = new Map(PROCESS_NAMES.map((p) => [p.toLowerCase(), p]));

/**
 * Reads the label the ADO connector gives a project's process: "Agile", "Contoso Agile (inherits
 * Agile)", "Legacy (custom process, works like Scrum)" or "Old (works like Basic)" when the
 * process API could not say (connectors/ado/process.ts `processLabel` writes them).
 */
export function readProcessLabel(label: string): ProcessLabel {
  const text = label.trim();
  const system = SYSTEM_BY_LOWER.get(text.toLowerCase());
  if (system) return { name: system, base: system, note: '' };
  const m = /^(.*?)\s*(\((?:inherits|custom process, works like|works like) (\w+)\))$/i.exec(text);
  const base = m ? SYSTEM_BY_LOWER.get(m[3]!.toLowerCase()) ?? null : null;
  if (m && base) return { name: m[1]!, base, note: m[2]! };
  const custom = /^(.*?)\s*(\(custom process\))$/i.exec(text);
  return custom ? { name: custom[1]!, base: null, note: custom[2]! } : { name: text, base: null, note: '' };
}
