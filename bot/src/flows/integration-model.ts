/**
 * Translates between what the store keeps about an integration, and what the sync
 * engine works with. The store speaks 'plan-to-ado' / enabled; the engine 'planToAdo' / active.
 */
import type { IntegrationDocument, MappingRule as StoredRule, SyncDirection } from '../store/index.js';
import { defaultRules, plannerDefaultRules, type ClassificationPaths } from '../sync/mapping/defaults.js';
import type { MappingRule, RuleDirection, TransformName, ValueRule } from '../sync/mapping/rule.js';
import type { CreationOption, Direction, Integration } from '../sync/model.js';
import { PROCESSES, readProcessLabel, type ProcessName } from '../sync/processes.js';
import { SYNC_FLAG_FIELD } from '../sync/planbridge-fields.js';

const TO_ENGINE: Record<SyncDirection, Direction> = { 'plan-to-ado': 'planToAdo', 'ado-to-plan': 'adoToPlan', 'two-way': 'both' };
const TO_STORE: Record<Direction, SyncDirection> = { planToAdo: 'plan-to-ado', adoToPlan: 'ado-to-plan', both: 'two-way' };
const CREATION: readonly CreationOption[] = ['itemOnly', 'withSubFeatures', 'withSubFeaturesAndStories', 'withAllSubItems'];

export const DIRECTION_LABELS: Record<SyncDirection, string> = {
  'plan-to-ado': 'Plan to ADO (one way)',
  'ado-to-plan': 'ADO to plan (one way)',
  'two-way': 'Both ways (two-way, with conflict detection)',
};

export const CREATION_LABELS: Record<CreationOption, string> = {
  itemOnly: 'This item only',
  withAllSubItems: 'With all sub-items',
  withSubFeatures: 'With sub-features',
  withSubFeaturesAndStories: 'With sub-features and stories',
};

export const toEngineDirection = (d: SyncDirection): Direction => TO_ENGINE[d];
export const toStoreDirection = (d: Direction): SyncDirection => TO_STORE[d];

/**
 * The system process behind a stored name or the ADO connector's label ("Contoso Agile (inherits
 * Agile)" is Agile). Agile when nothing names one, as integrations stored before labels had it.
 */
export function processName(name: string | undefined): ProcessName {
  return readProcessLabel(name ?? '').base ?? 'Agile';
}

export function creationOption(value: string | undefined): CreationOption {
  return CREATION.find((c) => c === value) ?? 'withAllSubItems';
}

export function toEngineRule(rule: StoredRule): MappingRule {
  return {
    id: rule.id, planField: rule.planField, adoField: rule.adoField, direction: TO_ENGINE[rule.direction] as RuleDirection, active: rule.enabled,
    ...(rule.transform ? { transform: rule.transform as TransformName } : {}),
    ...(rule.valueMap ? { valueMap: rule.valueMap as ValueRule[] } : {}),
    ...(rule.appliesTo ? { appliesTo: rule.appliesTo } : {}),
  };
}

export function toStoredRule(rule: MappingRule): StoredRule {
  return {
    id: rule.id, planField: rule.planField, adoField: rule.adoField, direction: TO_STORE[rule.direction], enabled: rule.active,
    ...(rule.transform ? { transform: rule.transform } : {}),
    ...(rule.valueMap ? { valueMap: [...rule.valueMap] } : {}),
    ...(rule.appliesTo ? { appliesTo: [...rule.appliesTo] } : {}),
  };
}

export const defaultStoredRules = (process: ProcessName): StoredRule[] => defaultRules(process).map(toStoredRule);
/** Planner premium's defaults; the ADO project's paths feed the optional sprint and bucket rules. */
export const defaultStoredPlannerRules = (process: ProcessName, paths: ClassificationPaths): StoredRule[] => plannerDefaultRules(process, paths).map(toStoredRule);

/** The engine's view of a stored integration; `direction` may be overridden for one run. */
export function toEngineIntegration(doc: IntegrationDocument, direction?: SyncDirection): Integration {
  const process = processName(doc.process);
  const p = PROCESSES[process];
  const scopes = doc.adoScopes && doc.adoScopes.length > 0 ? doc.adoScopes : doc.adoProjects.map((project) => ({ project }));
  return {
    id: doc.id,
    direction: TO_ENGINE[direction ?? doc.direction],
    process,
    // "Flagged tasks only" reads PlanBridge's "Sync to ADO" task field (connectors/ppm.ts).
    scope: { plan: doc.planTasks === 'flagged' ? { projectId: doc.planProjectId, tasks: 'flagged', flagField: SYNC_FLAG_FIELD } : { projectId: doc.planProjectId, tasks: 'all' }, ado: scopes },
    hierarchy: {
      levels: doc.hierarchy.levels, leafType: doc.hierarchy.leafType,
      importAsTasks: doc.hierarchy.importAsTasks ?? [...p.extraTaskTypes],
      teamProjectAsTopParent: doc.hierarchy.teamProjectAsTopParent ?? false,
      includeOutsideIterations: doc.hierarchy.includeOutsideIterations ?? true,
    },
    creation: creationOption(doc.creation),
    mapping: doc.mapping.map(toEngineRule),
    // Stored overrides only; planSync adds the automatic matches for each run.
    identities: doc.identityMap ?? {},
  };
}
