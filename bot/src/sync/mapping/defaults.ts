/**
 * Default mapping rules per process and plan system. Plan field names are PWA task properties,
 * which the Planner premium connector uses too (`ResourceNames` is the task's resources joined by
 * commas). Story Points / Effort / Size receive plan work in hours
 * and only flow plan -> ADO, since teams size in points that are not hours.
 */
import { PROCESSES, type ProcessName } from '../processes.js';
import type { MappingRule, ValueRule } from './rule.js';

const SCHED = 'Microsoft.VSTS.Scheduling';

/**
 * Scrum's Epics and Features have their own states (New, In Progress, Done), unlike its Product
 * Backlog Items (New, Approved, Committed, Done): ADO refuses a state the type lacks (TF401320).
 */
const SCRUM_PORTFOLIO_STATES: readonly ValueRule[] = [
  { plan: { min: 0, max: 0 }, ado: 'New' },
  { plan: { min: 1, max: 99 }, ado: 'In Progress', planValue: 50 },
  { plan: 100, ado: 'Done' },
];

/** % complete <-> State, per process: [requirement/portfolio states, Task states]. */
const STATE_MAPS: Readonly<Record<ProcessName, readonly [readonly ValueRule[], readonly ValueRule[]]>> = {
  Agile: [
    [
      { plan: { min: 0, max: 0 }, ado: 'New' },
      { plan: { min: 1, max: 99 }, ado: 'Active', planValue: 50 },
      { plan: 100, ado: 'Closed' },
      { ado: 'Resolved', planValue: 100 },
    ],
    [
      { plan: { min: 0, max: 0 }, ado: 'New' },
      { plan: { min: 1, max: 99 }, ado: 'Active', planValue: 50 },
      { plan: 100, ado: 'Closed' },
    ],
  ],
  Scrum: [
    [
      { plan: { min: 0, max: 0 }, ado: 'New' },
      { plan: { min: 1, max: 99 }, ado: 'Committed', planValue: 50 },
      { plan: 100, ado: 'Done' },
      { ado: 'Approved', planValue: 0 },
    ],
    [
      { plan: { min: 0, max: 0 }, ado: 'To Do' },
      { plan: { min: 1, max: 99 }, ado: 'In Progress', planValue: 50 },
      { plan: 100, ado: 'Done' },
    ],
  ],
  CMMI: [
    [
      { plan: { min: 0, max: 0 }, ado: 'Proposed' },
      { plan: { min: 1, max: 99 }, ado: 'Active', planValue: 50 },
      { plan: 100, ado: 'Closed' },
      { ado: 'Resolved', planValue: 100 },
    ],
    [
      { plan: { min: 0, max: 0 }, ado: 'Proposed' },
      { plan: { min: 1, max: 99 }, ado: 'Active', planValue: 50 },
      { plan: 100, ado: 'Closed' },
      { ado: 'Resolved', planValue: 100 },
    ],
  ],
  Basic: [
    [
      { plan: { min: 0, max: 0 }, ado: 'To Do' },
      { plan: { min: 1, max: 99 }, ado: 'Doing', planValue: 50 },
      { plan: 100, ado: 'Done' },
    ],
    [
      { plan: { min: 0, max: 0 }, ado: 'To Do' },
      { plan: { min: 1, max: 99 }, ado: 'Doing', planValue: 50 },
      { plan: 100, ado: 'Done' },
    ],
  ],
};

/** Work rules per process: hours on tasks both ways, size on backlog items towards ADO only. */
function workRules(process: ProcessName): MappingRule[] {
  const p = PROCESSES[process];
  const rule = (id: string, planField: string, adoField: string, appliesTo: readonly string[], direction: MappingRule['direction'] = 'both'): MappingRule =>
    ({ id, planField, adoField, direction, active: true, transform: 'work', appliesTo });
  const task = [p.leafType];
  switch (process) {
    case 'Agile':
      return [
        rule('work', 'Work', `${SCHED}.OriginalEstimate`, task),
        rule('remaining-work', 'RemainingWork', `${SCHED}.RemainingWork`, task),
        rule('actual-work', 'ActualWork', `${SCHED}.CompletedWork`, task),
        rule('story-points', 'Work', `${SCHED}.StoryPoints`, [p.requirementType], 'planToAdo'),
        rule('effort', 'Work', `${SCHED}.Effort`, p.portfolioTypes, 'planToAdo'),
      ];
    case 'Scrum':
      return [
        rule('remaining-work', 'RemainingWork', `${SCHED}.RemainingWork`, task),
        rule('effort', 'Work', `${SCHED}.Effort`, [...p.portfolioTypes, p.requirementType, 'Bug'], 'planToAdo'),
      ];
    case 'CMMI':
      return [
        rule('work', 'Work', `${SCHED}.OriginalEstimate`, task),
        rule('remaining-work', 'RemainingWork', `${SCHED}.RemainingWork`, task),
        rule('actual-work', 'ActualWork', `${SCHED}.CompletedWork`, task),
        rule('size', 'Work', `${SCHED}.Size`, [p.requirementType], 'planToAdo'),
        rule('effort', 'Work', `${SCHED}.Effort`, p.portfolioTypes, 'planToAdo'),
      ];
    case 'Basic':
      return [
        rule('remaining-work', 'RemainingWork', `${SCHED}.RemainingWork`, task),
        rule('effort', 'Work', `${SCHED}.Effort`, [...p.portfolioTypes, p.requirementType], 'planToAdo'),
      ];
  }
}

export function defaultRules(process: ProcessName): MappingRule[] {
  const p = PROCESSES[process];
  const nonPortfolio = [p.requirementType, p.leafType, ...p.extraTaskTypes];
  const [backlogStates, taskStates] = STATE_MAPS[process];
  return [
    { id: 'name', planField: 'Name', adoField: 'System.Title', direction: 'both', active: true, transform: 'text' },
    { id: 'start', planField: 'Start', adoField: `${SCHED}.StartDate`, direction: 'both', active: true, transform: 'date' },
    { id: 'finish-target', planField: 'Finish', adoField: `${SCHED}.TargetDate`, direction: 'both', active: true, transform: 'date', appliesTo: p.portfolioTypes },
    { id: 'finish', planField: 'Finish', adoField: `${SCHED}.FinishDate`, direction: 'both', active: true, transform: 'date', appliesTo: nonPortfolio },
    ...workRules(process),
    ...(process === 'Scrum'
      ? [
        { id: 'state-portfolio', planField: 'PercentComplete', adoField: 'System.State', direction: 'both', active: true, valueMap: SCRUM_PORTFOLIO_STATES, appliesTo: p.portfolioTypes } satisfies MappingRule,
        { id: 'state', planField: 'PercentComplete', adoField: 'System.State', direction: 'both', active: true, valueMap: backlogStates, appliesTo: [p.requirementType, ...p.extraTaskTypes] } satisfies MappingRule,
      ]
      : [{ id: 'state', planField: 'PercentComplete', adoField: 'System.State', direction: 'both', active: true, valueMap: backlogStates, appliesTo: [...p.levels, ...p.extraTaskTypes] } satisfies MappingRule]),
    { id: 'state-task', planField: 'PercentComplete', adoField: 'System.State', direction: 'both', active: true, valueMap: taskStates, appliesTo: [p.leafType] },
    { id: 'notes', planField: 'Notes', adoField: 'System.Description', direction: 'both', active: true, transform: 'html' },
    { id: 'assigned-to', planField: 'ResourceNames', adoField: 'System.AssignedTo', direction: 'both', active: true, transform: 'identity' },
  ];
}

/** ADO classification paths of the linked project, for the optional sprint and bucket rules. */
export interface ClassificationPaths {
  readonly iterations?: readonly string[];
  readonly areas?: readonly string[];
}

/**
 * A plan name (a sprint's or bucket's) <-> the ADO path whose last node has that name. The project's
 * root path means "no sprint"; the first path wins when two leaves share a name.
 */
function leafValueMap(paths: readonly string[] | undefined): ValueRule[] | undefined {
  if (!paths || paths.length === 0) return undefined;
  const seen = new Set<string>();
  const rules: ValueRule[] = [];
  for (const path of paths) {
    const parts = path.split('\\');
    const leaf = parts.length > 1 ? parts.at(-1)! : null;
    const key = (leaf ?? '').toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    rules.push({ plan: leaf, ado: path });
  }
  return rules;
}

/**
 * Planner premium's defaults: PWA's, but remaining and completed effort only flow to ADO, because
 * the scheduling service computes them from effort and progress and refuses them as input. Sprints
 * <-> iterations and buckets -> areas are offered off, with value maps from the project's paths,
 * since a sprint is one name and an iteration a path ("Sprint 1" is "Phoenix\Sprint 1").
 */
export function plannerDefaultRules(process: ProcessName, paths: ClassificationPaths = {}): MappingRule[] {
  const computed = new Set(['RemainingWork', 'ActualWork']);
  const base = defaultRules(process).map((rule): MappingRule => (computed.has(rule.planField) ? { ...rule, direction: 'planToAdo' } : rule));
  const sprints = leafValueMap(paths.iterations);
  const buckets = leafValueMap(paths.areas);
  return [
    ...base,
    { id: 'sprint', planField: 'Sprint', adoField: 'System.IterationPath', direction: 'both', active: false, ...(sprints ? { valueMap: sprints } : { transform: 'text' }) },
    { id: 'bucket', planField: 'Bucket', adoField: 'System.AreaPath', direction: 'planToAdo', active: false, ...(buckets ? { valueMap: buckets } : { transform: 'text' }) },
  ];
}
