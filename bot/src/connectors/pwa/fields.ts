import {
  PLANBRIDGE_FIELDS, PlanConnectorError,
  type FieldCheck, type PlanEntity, type PlanFieldDefinition, type RequiredField,
} from '../ppm.js';
import type { PwaClient, Row } from './client.js';
import { ENTITY_NAVS, PWA_FIELD_TYPES, fieldTypeName, guidToHex } from './mapping.js';

/** A custom field with what the connector needs to read and write its values. */
export interface PwaField extends PlanFieldDefinition {
  internalName: string;
  /** Lookup entries: internal name (`Entry_{hex}`) and text. */
  entries: Array<{ internalName: string; value: string }>;
}

/** Enterprise custom fields: list, verify and create the PlanBridge ones. */
export class PwaFields {
  private entityIds: Record<string, string> | null = null;

  constructor(private readonly client: PwaClient) {}

  /** Entity type GUIDs differ per farm, so they are read from `EntityTypes`, never hard-coded. */
  async entityTypeIds(): Promise<Record<string, string>> {
    if (this.entityIds) return this.entityIds;
    // Independent reads: one round trip for all four, not four in a row.
    const rows = await Promise.all(Object.entries(ENTITY_NAVS).map(async ([entity, nav]) => [entity, await this.client.get(`ProjectServer/EntityTypes/${nav}`)] as const));
    const ids = Object.fromEntries(rows.map(([entity, row]) => [entity, String(row.ID ?? '').toLowerCase()]));
    this.entityIds = ids;
    return ids;
  }

  async list(): Promise<PwaField[]> {
    // The fields do not depend on the entity ids until they are sorted by entity: read both at once.
    const [ids, rows] = await Promise.all([this.entityTypeIds(), this.client.getAll('ProjectServer/CustomFields', {
      $select: 'Id,Name,InternalName,FieldType,EntityTypeId,LookupTableId,LookupEntries/InternalName,LookupEntries/FullValue',
      $expand: 'LookupEntries',
    })]);
    return rows.map((row) => {
      const entity = (Object.entries(ids).find(([, id]) => id === String(row.EntityTypeId ?? '').toLowerCase())?.[0] ?? 'unknown') as PlanEntity | 'unknown';
      const entries = ((row.LookupEntries as Row[] | undefined) ?? []).map((e) => ({ internalName: String(e.InternalName), value: String(e.FullValue ?? e.Value ?? '') }));
      const hasLookup = Boolean(row.LookupTableId) && !/^0{8}-/.test(String(row.LookupTableId));
      return {
        id: String(row.Id),
        name: String(row.Name),
        internalName: String(row.InternalName ?? `Custom_${guidToHex(String(row.Id))}`),
        type: fieldTypeName(Number(row.FieldType)) ?? 'text',
        entity,
        lookupValues: hasLookup ? entries.map((e) => e.value) : null,
        entries: hasLookup ? entries : [],
      };
    });
  }

  async verify(required: readonly RequiredField[] = PLANBRIDGE_FIELDS, existing?: PwaField[]): Promise<FieldCheck[]> {
    const fields = existing ?? (await this.list());
    return required.map((need) => {
      const exact = fields.find((f) => f.name === need.name);
      if (!exact) {
        const near = fields.find((f) => f.name.toLowerCase() === need.name.toLowerCase());
        if (near) return { name: need.name, expectedType: need.type, status: 'name-case', actualType: near.type, advice: `A field "${near.name}" exists but names must match exactly: rename it to "${need.name}".` };
        return { name: need.name, expectedType: need.type, status: 'missing', advice: 'Use "Create fields" to add it.' };
      }
      if (exact.entity !== need.entity) {
        return { name: need.name, expectedType: need.type, status: 'wrong-entity', actualType: exact.type, advice: `"${need.name}" is a ${exact.entity} field; it must be a ${need.entity} field. Delete or rename it in PWA, then use "Create fields".` };
      }
      if (exact.type !== need.type || exact.lookupValues !== null) {
        return { name: need.name, expectedType: need.type, status: 'wrong-type', actualType: exact.type, advice: `"${need.name}" is ${exact.lookupValues ? 'lookup-based ' : ''}${exact.type}; it must be a plain ${need.type} field. Delete or rename it in PWA, then use "Create fields".` };
      }
      return { name: need.name, expectedType: need.type, status: 'ok' };
    });
  }

  /** Adds missing fields; fields of the wrong type are reported and left alone. */
  async create(required: readonly RequiredField[] = PLANBRIDGE_FIELDS): Promise<FieldCheck[]> {
    const checks = await this.verify(required);
    const ids = await this.entityTypeIds();
    for (const check of checks.filter((c) => c.status === 'missing')) {
      const need = required.find((r) => r.name === check.name)!;
      const entityTypeId = ids[need.entity];
      if (!entityTypeId) throw new PlanConnectorError('server-error', `Project Web App did not report the ${need.entity} entity type.`);
      await this.client.post('ProjectServer/CustomFields/Add', {
        Name: need.name, FieldType: PWA_FIELD_TYPES[need.type], EntityTypeId: entityTypeId, Description: need.description,
      }, 'PS.CustomFieldCreationInformation');
    }
    return this.verify(required);
  }
}
