import { graphErrors } from './errors.js';
import { ExactValue } from './filter.js';

/**
 * Single-value extended properties [notes "Idempotency, tagging, lookup"]: ids such as
 * `String {GUID} Name PlanBridgeLinkId` (named) or `String 0x0037` (tagged). The GUID and the
 * type are case-insensitive, the name is case-sensitive, and string values compare
 * case-insensitively in filters (singlevaluelegacyextendedproperty-get.md).
 */
export interface ExtendedProperty {
  id: string;
  value: string;
}

const TYPES = ['String', 'Integer', 'Boolean', 'SystemTime', 'Double', 'Float', 'Currency', 'Long', 'Short', 'Binary', 'CLSID', 'ApplicationTime', 'Object'];
const NAMED = /^(\w+)\s+\{([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}\s+(Name|Id)\s+(.+)$/i;
const TAGGED = /^(\w+)\s+(0x[0-9a-f]{1,4})$/i;

/** The canonical form of an id (type and GUID case fixed, name kept), or null if Graph would refuse it. */
export function normalizeId(id: string): string | null {
  const named = NAMED.exec(id.trim());
  const type = (raw: string): string | undefined => TYPES.find((t) => t.toLowerCase() === raw.toLowerCase());
  if (named) {
    const t = type(named[1]!);
    const kind = named[3]!.toLowerCase() === 'name' ? 'Name' : 'Id';
    if (!t || (kind === 'Id' && !/^0x[0-9a-f]+$/i.test(named[4]!))) return null;
    return `${t} {${named[2]!.toLowerCase()}} ${kind} ${kind === 'Id' ? named[4]!.toLowerCase() : named[4]!}`;
  }
  const tagged = TAGGED.exec(id.trim());
  const t = tagged && type(tagged[1]!);
  return t ? `${t} ${tagged![2]!.toLowerCase()}` : null;
}

/** `singleValueExtendedProperties` of a create or PATCH body. */
export function parseExtendedProperties(value: unknown): ExtendedProperty[] {
  if (!Array.isArray(value)) throw graphErrors.bodyRead("The property 'singleValueExtendedProperties' must be a collection.");
  return value.map((p: unknown) => {
    const { id, value: v, ...rest } = (p ?? {}) as Record<string, unknown>;
    const extra = Object.keys(rest).find((k) => !k.startsWith('@'));
    if (extra) throw graphErrors.unknownBodyProperty(extra, 'microsoft.graph.singleValueLegacyExtendedProperty');
    const normalized = typeof id === 'string' ? normalizeId(id) : null;
    if (!normalized) throw graphErrors.invalidRequest(`The extended property id '${String(id)}' is not valid. Use '{type} {GUID} Name {name}' or '{type} 0x{tag}'.`);
    if (typeof v !== 'string') throw graphErrors.bodyRead("The property 'value' of a singleValueLegacyExtendedProperty must be a string.");
    return { id: normalized, value: v };
  });
}

/** Upsert by id: a PATCH adds or replaces the properties it names and keeps the others. */
export function mergeExtendedProperties(current: ExtendedProperty[], changes: ExtendedProperty[]): ExtendedProperty[] {
  const merged = [...current];
  for (const change of changes) {
    const at = merged.findIndex((p) => p.id === change.id);
    if (at >= 0) merged[at] = change;
    else merged.push(change);
  }
  return merged;
}

/** The shape a filter lambda sees: `ep/id` compares exactly after normalizing, `ep/value` as a string. */
export function filterItem(p: ExtendedProperty): { id: ExactValue; value: string } {
  return { id: new ExactValue(p.id, (s) => normalizeId(s) ?? `\u0000${s}`), value: p.value };
}
