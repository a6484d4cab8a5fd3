/** Active rules of an integration, with converters built once and looked up per ADO type. */
import { flowsTo, type Integration } from '../model.js';
import { converterFor, type Converter } from './convert.js';
import type { MappingRule } from './rule.js';

export interface CompiledRule {
  readonly rule: MappingRule;
  readonly conv: Converter;
  /** Rule direction intersected with the integration's direction. */
  readonly toAdo: boolean;
  readonly toPlan: boolean;
}

export interface CompiledMapping {
  forType(adoType: string): readonly CompiledRule[];
  byId(ruleId: string): CompiledRule | undefined;
}

export function compileMapping(integration: Integration): CompiledMapping {
  const ctx = { timeZone: integration.timeZone ?? 'UTC', identities: integration.identities };
  const compiled: CompiledRule[] = integration.mapping
    .filter((r) => r.active)
    .map((rule) => ({
      rule,
      conv: converterFor(rule, ctx),
      toAdo: rule.direction !== 'adoToPlan' && flowsTo(integration.direction, 'ado'),
      toPlan: rule.direction !== 'planToAdo' && flowsTo(integration.direction, 'plan'),
    }));
  const byType = new Map<string, readonly CompiledRule[]>();
  const ids = new Map(compiled.map((c) => [c.rule.id, c]));
  return {
    byId: (ruleId) => ids.get(ruleId),
    forType(adoType) {
      let list = byType.get(adoType);
      if (!list) {
        list = compiled.filter((c) => !c.rule.appliesTo || c.rule.appliesTo.includes(adoType));
        byType.set(adoType, list);
      }
      return list;
    },
  };
}
