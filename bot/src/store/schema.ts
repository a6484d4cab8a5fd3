import { SchemaError } from './errors.js';

/**
 * Every stored document carries `schemaVersion`. Reading an older one runs the upgrade steps in
 * order (step N turns version N into N+1); the upgraded shape is written back on the next
 * update. A document from a newer release is refused rather than half-understood.
 */
export interface Versioned {
  schemaVersion: number;
}

export type Upgrade = (doc: Record<string, unknown>) => Record<string, unknown>;

export interface DocumentSchema<T> {
  kind: string;
  current: number;
  /** upgrades[n] lifts version n to n + 1. Documents without schemaVersion are version 0. */
  upgrades: Record<number, Upgrade>;
  /** Last line of defence: throws if the upgraded document still lacks what the code relies on. */
  check(doc: Record<string, unknown>): doc is Record<string, unknown> & T;
}

export function upgradeDocument<T>(schema: DocumentSchema<T>, raw: Record<string, unknown>): T {
  let doc = raw;
  let version = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : 0;
  if (version > schema.current) {
    throw new SchemaError(`${schema.kind} "${String(raw.id)}" has schema version ${version}, newer than this build reads (${schema.current}); upgrade PlanBridge`);
  }
  while (version < schema.current) {
    const step = schema.upgrades[version];
    if (!step) throw new SchemaError(`${schema.kind} "${String(raw.id)}" has schema version ${version}, which this build cannot upgrade`);
    doc = { ...step(doc), schemaVersion: version + 1 };
    version++;
  }
  if (!schema.check(doc)) throw new SchemaError(`${schema.kind} "${String(raw.id)}" is missing required fields for schema version ${schema.current}`);
  return doc;
}
