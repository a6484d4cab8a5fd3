import type { CsdlEntityType, CsdlSchema } from './csdl.js';

/**
 * Whether a JSON value is what OData v3 (verbose JSON, as SharePoint writes it) puts on the wire
 * for an Edm type. Dates are zone-less ISO strings in PS payloads; Edm.Time is an xsd:duration;
 * Int64 and Decimal travel as strings in v3 JSON.
 */

const INT_RANGES: Record<string, [number, number]> = {
  'Edm.Byte': [0, 255], 'Edm.Int16': [-32768, 32767], 'Edm.Int32': [-2147483648, 2147483647],
};

/** Null when `value` fits; otherwise the kind of misfit (kept free of the value, so one misfit counts once). */
export function edmProblem(type: string, nullable: boolean, value: unknown): string | null {
  if (value === null) return nullable ? null : `null in non-nullable ${type}`;
  const range = INT_RANGES[type];
  if (range) {
    if (typeof value !== 'number' || !Number.isInteger(value)) return `not an integer for ${type}`;
    return value < range[0] || value > range[1] ? `overflows ${type}` : null;
  }
  const fits = ((): boolean => {
    switch (type) {
      case 'Edm.String': return typeof value === 'string';
      case 'Edm.Boolean': return typeof value === 'boolean';
      case 'Edm.Double': case 'Edm.Single': return typeof value === 'number';
      case 'Edm.Int64': case 'Edm.Decimal': return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value);
      case 'Edm.Guid': return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
      case 'Edm.DateTime': return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?$/.test(value);
      case 'Edm.Time': return typeof value === 'string' && /^-?P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(value);
      default: return true;
    }
  })();
  return fits ? null : `not a wire value of ${type}`;
}

/** Every PS entity in a verbose payload, checked against its type: names, Edm types, navigation properties. */
export function payloadDifferences(node: unknown, schema: CsdlSchema, path: string, out: string[] = []): string[] {
  if (Array.isArray(node)) { node.forEach((n, i) => payloadDifferences(n, schema, `${path}[${i}]`, out)); return out; }
  if (!node || typeof node !== 'object') return out;
  const obj = node as Record<string, unknown>;
  const type = (obj.__metadata as { type?: string } | undefined)?.type;
  if (!type?.startsWith('PS.')) {
    for (const [key, value] of Object.entries(obj)) if (key !== '__metadata' && key !== '__deferred') payloadDifferences(value, schema, `${path}.${key}`, out);
    return out;
  }
  const def = schema.get(type);
  if (!def) { out.push(`${path}: type ${type} is not in the schema`); return out; }
  if (def.abstract) out.push(`${path}: ${type} is abstract`);
  for (const [key, value] of Object.entries(obj)) {
    if (key === '__metadata') continue;
    entityMember(def, key, value, schema, `${path}.${key}`, out);
  }
  return out;
}

function entityMember(def: CsdlEntityType, key: string, value: unknown, schema: CsdlSchema, path: string, out: string[]): void {
  if (def.navigations.has(key)) {
    const deferred = value && typeof value === 'object' && '__deferred' in value;
    if (!deferred) payloadDifferences((value as { results?: unknown } | null)?.results ?? value, schema, path, out);
    return;
  }
  const prop = def.properties.get(key);
  if (!prop) {
    // Task custom field values are dynamic properties of the open task types.
    if (!(def.open && /^Custom_x005f_[0-9a-f]{32}$/.test(key))) out.push(`${def.name}: no property or navigation ${key}`);
    return;
  }
  const problem = edmProblem(prop.type, prop.nullable, value);
  if (problem) out.push(`${def.name}.${key}: ${problem}`);
}
