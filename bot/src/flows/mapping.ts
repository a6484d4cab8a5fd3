/**
 * The field-mapping editor card: view, add, delete, reorder, switch on or off, and reset the
 * rules of an integration. Edits go through the engine's pure rule operations, so a rule list
 * the engine would reject is never stored; the problem is shown on the card instead.
 */
import type { MappingRow } from '../cards/card-data.js';
import { renderCard } from '../cards/render.js';
import type { IntegrationDocument, Stored } from '../store/index.js';
import { addRule, deleteRule, describeRule, moveRule, resetRules, toggleRule, type RuleEdit } from '../sync/mapping/edit.js';
import { plannerDefaultRules } from '../sync/mapping/defaults.js';
import { TRANSFORM_NAMES, type RuleDirection, type TransformName } from '../sync/mapping/rule.js';
import { text, type ActionReply, type ActionTurn, type CardAction } from './actions.js';
import { isApprover } from './action-guard.js';
import { button } from './card-kit.js';
import type { AdaptiveCardJson } from './chat.js';
import { processName, toEngineRule, toStoredRule } from './integration-model.js';
import type { FlowServices } from './services.js';

const DIRECTION_TEXT: Record<RuleDirection, string> = { both: 'both ways', planToAdo: 'plan to ADO', adoToPlan: 'ADO to plan' };

export function mappingCard(tenantId: string, i: IntegrationDocument, canEdit: boolean, problem = ''): AdaptiveCardJson {
  const rules = i.mapping.map(toEngineRule);
  const edit = (title: string, op: string, ruleId: string, style: 'default' | 'destructive' = 'default') => button(tenantId, title, 'mapping.edit', { integrationId: i.id, op, ruleId }, style);
  const rows: MappingRow[] = rules.map((r, index) => ({
    position: `${index + 1}.`,
    label: describeRule(r),
    detail: [DIRECTION_TEXT[r.direction], r.transform ? `converts as ${r.transform}` : '', r.valueMap ? 'value map' : '', r.active ? '' : 'switched off'].filter(Boolean).join(' · '),
    active: r.active,
    buttons: canEdit ? [
      ...(index > 0 ? [edit('Up', 'up', r.id)] : []),
      ...(index < rules.length - 1 ? [edit('Down', 'down', r.id)] : []),
      edit(r.active ? 'Switch off' : 'Switch on', 'toggle', r.id),
      edit('Delete', 'delete', r.id, 'destructive'),
    ] : [],
  }));
  return renderCard('mapping', {
    title: `Field mapping: ${i.name}`,
    problem,
    rules: rows,
    canEdit,
    directions: Object.entries(DIRECTION_TEXT).map(([value, title]) => ({ title, value })),
    transforms: [{ title: 'none (copy as is)', value: '' }, ...TRANSFORM_NAMES.map((t) => ({ title: t, value: t }))],
    add: button(tenantId, 'Add rule', 'mapping.edit', { integrationId: i.id, op: 'add', ruleId: '-' }, 'positive'),
    buttons: canEdit ? [
      button(tenantId, 'Reset to defaults', 'mapping.edit', { integrationId: i.id, op: 'reset', ruleId: '-' }, 'destructive'),
      button(tenantId, 'Back to integration', 'integration.show', { integrationId: i.id }),
    ] : [button(tenantId, 'Back to integration', 'integration.show', { integrationId: i.id })],
  });
}

export async function showMapping(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>): Promise<ActionReply> {
  return { card: mappingCard(turn.tenantId, i, isApprover(i, turn.user)) };
}

export async function editMapping(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>, action: CardAction): Promise<ActionReply> {
  const op = text(action.data, 'op', 20);
  const ruleId = text(action.data, 'ruleId', 100) ?? '';
  const rules = i.mapping.map(toEngineRule);
  const at = rules.findIndex((r) => r.id === ruleId);
  let result: RuleEdit;
  switch (op) {
    case 'up': result = moveRule(rules, ruleId, at - 1); break;
    case 'down': result = moveRule(rules, ruleId, at + 1); break;
    case 'toggle': result = toggleRule(rules, ruleId); break;
    case 'delete': result = deleteRule(rules, ruleId); break;
    case 'reset': result = await resetFor(s, i); break;
    case 'add': {
      const transform = text(action.data, 'newTransform', 20);
      const direction = (text(action.data, 'newDirection', 20) ?? 'both') as RuleDirection;
      result = addRule(rules, {
        planField: text(action.data, 'newPlanField', 200) ?? '', adoField: text(action.data, 'newAdoField', 200) ?? '', direction, active: true,
        ...(transform ? { transform: transform as TransformName } : {}),
      });
      break;
    }
    default:
      return { message: `"${op ?? ''}" is not a mapping change I know.` };
  }
  if (!result.ok) return { card: mappingCard(turn.tenantId, i, true, result.problem) };
  const mapping = result.rules.map(toStoredRule);
  const updated = await s.store.integrations.update(turn.tenantId, i.id, () => ({ mapping }));
  return { card: mappingCard(turn.tenantId, updated, true) };
}

/** The defaults of the integration's plan system: Planner premium's take the ADO project's paths for its sprint and bucket rules. */
async function resetFor(s: FlowServices, i: IntegrationDocument): Promise<RuleEdit> {
  const process = processName(i.process);
  const plan = await s.store.connections.get(i.tenantId, i.planConnectionId);
  if (plan?.kind !== 'planner') return resetRules(process);
  const paths = await (async () => {
    const ado = await s.store.connections.get(i.tenantId, i.adoConnectionId);
    if (!ado || !i.adoProjects[0]) return {};
    const directory = await s.systems.ado(ado);
    return { iterations: await directory.iterationPaths(i.adoProjects[0]), areas: await directory.areaPaths(i.adoProjects[0]) };
  })().catch(() => ({}));
  return { ok: true, rules: plannerDefaultRules(process, paths) };
}
