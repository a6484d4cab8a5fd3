import { TABLES } from './tables.js';

/**
 * Rows by table, keyed by primary key (lowercase GUID), in insertion order. Every row carries the
 * system columns; `versionnumber` is one counter for the environment and is what `@odata.etag`
 * shows [notes "versioning"]. An operation set is applied to a `clone()` and swapped in whole, so
 * a failure leaves nothing applied.
 */
export type Row = Record<string, unknown>;

export class Store {
  readonly tables = new Map<string, Map<string, Row>>();
  /** Next versionnumber; starts at a real-looking value [notes: W/"8163420"]. */
  version = 8_163_400;
  /** Choice labels that differ per environment, by `table.column` (operation set status variants). */
  labels = new Map<string, Record<number, string>>();

  constructor(readonly now: () => Date = () => new Date()) {
    for (const t of TABLES) this.tables.set(t.logicalName, new Map());
  }

  rows(logicalName: string): Map<string, Row> {
    const rows = this.tables.get(logicalName);
    if (!rows) throw new Error(`No table ${logicalName}`);
    return rows;
  }

  get(logicalName: string, id: string): Row | undefined {
    return this.rows(logicalName).get(id.toLowerCase());
  }

  list(logicalName: string): Row[] {
    return [...this.rows(logicalName).values()];
  }

  /** Adds a row with fresh system columns; `key` is the primary key column name. */
  insert(logicalName: string, key: string, values: Row, owner: string | null = null): Row {
    const id = String(values[key]).toLowerCase();
    const stamp = isoSeconds(this.now());
    const row: Row = { statecode: 0, _ownerid_value: owner, createdon: stamp, ...values, [key]: id, modifiedon: stamp, versionnumber: ++this.version };
    this.rows(logicalName).set(id, row);
    return row;
  }

  /** Marks a row changed: a new versionnumber and modifiedon. */
  touch(row: Row): void {
    row.versionnumber = ++this.version;
    row.modifiedon = isoSeconds(this.now());
  }

  remove(logicalName: string, id: string): boolean {
    return this.rows(logicalName).delete(id.toLowerCase());
  }

  clone(): Store {
    const copy = new Store(this.now);
    copy.version = this.version;
    copy.labels = this.labels;
    for (const [name, rows] of this.tables) {
      const target = copy.rows(name);
      for (const [id, row] of rows) target.set(id, { ...row });
    }
    return copy;
  }

  /** Takes over the rows and counter of `other` (the commit of an operation set). */
  adopt(other: Store): void {
    this.version = other.version;
    for (const [name, rows] of other.tables) this.tables.set(name, rows);
  }
}

/** Dataverse serializes DateTimeOffset values to the second, in UTC: 2026-12-07T09:00:00Z. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
