/** In-memory plan (PWA-like) behind the PlanSide port: versions, and batches that publish all or nothing. */
import type { FieldValue, Item } from '../../../src/sync/model.js';
import type { PlanSide, PlanWrite, PlanWriteResult } from '../../../src/sync/ports.js';
import { Crashpoint } from './crash.js';

export interface StoredTask {
  key: string;
  parentKey: string | null;
  fields: Record<string, FieldValue>;
  version: number;
  /** The task's Modified, when the double has a clock. */
  modifiedAt?: string;
}

export class MemoryPlan implements PlanSide {
  tasks = new Map<string, StoredTask>();
  batches = 0;
  crash = new Crashpoint();
  /** When set, every published change stamps the task's modified time (like PWA's Modified); otherwise tasks have none. */
  clock: (() => string) | null = null;
  private next = 1;

  private stamp(task: StoredTask): void {
    if (this.clock) task.modifiedAt = this.clock();
  }

  seed(fields: Record<string, FieldValue>, parentKey: string | null = null): string {
    const key = `task-${String(this.next++).padStart(4, '0')}`;
    this.tasks.set(key, { key, parentKey, fields: { ...fields }, version: 1 });
    this.stamp(this.tasks.get(key)!);
    return key;
  }

  edit(key: string, fields: Record<string, FieldValue>, parentKey?: string | null): void {
    const t = this.tasks.get(key)!;
    Object.assign(t.fields, fields);
    if (parentKey !== undefined) t.parentKey = parentKey;
    t.version++;
    this.stamp(t);
  }

  clone(): MemoryPlan {
    const copy = new MemoryPlan();
    copy.next = this.next;
    copy.clock = this.clock;
    for (const [k, v] of this.tasks) copy.tasks.set(k, { ...v, fields: { ...v.fields } });
    return copy;
  }

  private toItem(t: StoredTask): Item {
    return { key: t.key, system: 'plan', type: 'Task', parentKey: t.parentKey, fields: { ...t.fields }, version: t.version, ...(t.modifiedAt ? { modifiedAt: t.modifiedAt } : {}) };
  }

  async readScope(): Promise<Item[]> {
    return this.crash.run(() => [...this.tasks.values()].map((t) => this.toItem(t)));
  }

  async readByKeys(_projectId: string, keys: readonly string[]): Promise<Item[]> {
    return this.crash.run(() => keys.flatMap((k) => (this.tasks.has(k) ? [this.toItem(this.tasks.get(k)!)] : [])));
  }

  /** Works on a draft copy and publishes it at the end, like check-out / publish / check-in. */
  async applyBatch(_projectId: string, writes: readonly PlanWrite[]): Promise<PlanWriteResult[]> {
    return this.crash.run(() => {
      const draft = new Map([...this.tasks].map(([k, v]) => [k, { ...v, fields: { ...v.fields } }]));
      const results: PlanWriteResult[] = writes.map((w) => {
        const t = draft.get(w.key);
        if (w.kind === 'create') {
          if (!t) {
            draft.set(w.key, { key: w.key, parentKey: w.parentKey, fields: { ...w.fields }, version: 1 });
            this.stamp(draft.get(w.key)!);
          }
          return { opId: w.opId, status: 'done' };
        }
        if (!t || t.version !== w.expectedVersion) return { opId: w.opId, status: 'stale' };
        if (w.kind === 'delete') draft.delete(w.key);
        else {
          Object.assign(t.fields, w.fields);
          if (w.parentKey !== undefined) t.parentKey = w.parentKey;
          t.version++;
          this.stamp(t);
        }
        return { opId: w.opId, status: 'done' };
      });
      this.tasks = draft;
      this.batches++;
      return results;
    });
  }
}
