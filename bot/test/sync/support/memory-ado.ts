/** In-memory ADO behind the engine's AdoSide port: revs, rev preconditions, tags, parent links. */
import type { Item, FieldValue } from '../../../src/sync/model.js';
import type { AdoCreate, AdoSide, AdoUpdate, GuardedWrite } from '../../../src/sync/ports.js';
import { Crashpoint, sleep } from './crash.js';

export interface StoredWorkItem {
  key: string;
  type: string;
  parentKey: string | null;
  fields: Record<string, FieldValue>;
  rev: number;
  /** System.ChangedDate, when the double has a clock. */
  modifiedAt?: string;
}

export class MemoryAdo implements AdoSide {
  items = new Map<string, StoredWorkItem>();
  nextId = 1000;
  creates = 0;
  crash = new Crashpoint();
  /** When set, every change stamps the item's modified time (like System.ChangedDate); otherwise items have none. */
  clock: (() => string) | null = null;
  constructor(private readonly latencyMs = 0) {}

  private stamp(item: StoredWorkItem): void {
    if (this.clock) item.modifiedAt = this.clock();
  }

  seed(type: string, fields: Record<string, FieldValue>, parentKey: string | null = null): string {
    const key = String(this.nextId++);
    this.items.set(key, { key, type, parentKey, fields: { 'System.TeamProject': 'Apollo', 'System.IterationPath': 'Apollo\\Sprint 1', ...fields }, rev: 1 });
    this.stamp(this.items.get(key)!);
    return key;
  }

  /** An edit made by someone in ADO: bumps the rev. */
  edit(key: string, fields: Record<string, FieldValue>, parentKey?: string | null): void {
    const item = this.items.get(key)!;
    Object.assign(item.fields, fields);
    if (parentKey !== undefined) item.parentKey = parentKey;
    item.rev++;
    this.stamp(item);
  }

  clone(): MemoryAdo {
    const copy = new MemoryAdo(this.latencyMs);
    copy.nextId = this.nextId;
    copy.clock = this.clock;
    for (const [k, v] of this.items) copy.items.set(k, { ...v, fields: { ...v.fields } });
    return copy;
  }

  private toItem(s: StoredWorkItem): Item {
    return { key: s.key, system: 'ado', type: s.type, parentKey: s.parentKey, fields: { ...s.fields }, version: s.rev, ...(s.modifiedAt ? { modifiedAt: s.modifiedAt } : {}) };
  }

  private async latency(): Promise<void> {
    if (this.latencyMs > 0) await sleep(this.latencyMs);
  }

  async readScope(): Promise<Item[]> {
    return this.crash.run(() => [...this.items.values()].map((s) => this.toItem(s)));
  }

  async readByKeys(keys: readonly string[]): Promise<Item[]> {
    return this.crash.run(() => keys.flatMap((k) => (this.items.has(k) ? [this.toItem(this.items.get(k)!)] : [])));
  }

  async findByMarkers(markers: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return this.crash.run(() => {
      const found = new Map<string, string>();
      for (const s of this.items.values()) {
        const tags = String(s.fields['System.Tags'] ?? '').split(';').map((t) => t.trim());
        for (const m of markers) if (tags.includes(m)) found.set(m, s.key);
      }
      return found;
    });
  }

  async create(request: AdoCreate): Promise<{ key: string; version: number }> {
    await this.latency();
    return this.crash.run(() => {
      if (request.parentKey !== null && !this.items.has(request.parentKey)) throw new Error(`parent ${request.parentKey} does not exist`);
      const key = String(this.nextId++);
      const tags = [request.marker];
      this.items.set(key, {
        key, type: request.type, parentKey: request.parentKey, rev: 1,
        fields: { 'System.TeamProject': request.project, 'System.IterationPath': `${request.project}\\Sprint 1`, ...request.fields, 'System.Tags': tags.join('; ') },
      });
      this.stamp(this.items.get(key)!);
      this.creates++;
      return { key, version: 1 };
    });
  }

  async update(request: AdoUpdate): Promise<GuardedWrite> {
    await this.latency();
    return this.crash.run(() => {
      const item = this.items.get(request.key);
      if (!item || item.rev !== request.expectedVersion) return { status: 'stale' } as const;
      Object.assign(item.fields, request.fields);
      if (request.parentKey !== undefined) item.parentKey = request.parentKey;
      item.rev++;
      this.stamp(item);
      return { status: 'done', version: item.rev } as const;
    });
  }

  async remove(key: string, expectedVersion: string | number): Promise<GuardedWrite> {
    return this.crash.run(() => {
      const item = this.items.get(key);
      if (!item || item.rev !== expectedVersion) return { status: 'stale' } as const;
      this.items.delete(key);
      return { status: 'done', version: item.rev + 1 } as const;
    });
  }
}
