/**
 * In-memory ADO behind the engine's AdoSide port: revs, rev preconditions, tags, parent links.
 * It passes the AdoSide contract (bot/test/contracts/ado-side.contract.ts) that the production
 * adapter passes against sim/ado, so it behaves like ADO where the engine can tell: ADO's own
 * defaults on create, the marker merged into the tags, a new revision for both ends of a parent
 * link, no revision for an update that changes nothing, null clearing a field, reads per project.
 */
import type { Item, FieldValue } from '../../../src/sync/model.js';
import type { AdoCreate, AdoSide, AdoUpdate, GuardedWrite } from '../../../src/sync/ports.js';
import { statesFor, type ProcessName } from '../../../src/sync/processes.js';
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

/** ADO's tag list: split on ';' or ',', trimmed, each tag once (case-insensitively), sorted, "; "-joined. */
function normalizeTags(...lists: unknown[]): string {
  const seen = new Map<string, string>();
  for (const list of lists) {
    for (const raw of String(list ?? '').split(/[;,]/)) {
      const tag = raw.trim();
      if (tag && !seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
    }
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b)).join('; ');
}

/** A JSON-patch "add" of null or '' leaves the field out, as ADO does. */
function assign(target: Record<string, FieldValue>, fields: Readonly<Record<string, FieldValue>>): void {
  for (const [ref, value] of Object.entries(fields)) {
    if (value === null || value === '') delete target[ref];
    else target[ref] = ref === 'System.Tags' ? normalizeTags(value) : value;
  }
}

export class MemoryAdo implements AdoSide {
  items = new Map<string, StoredWorkItem>();
  nextId = 1000;
  creates = 0;
  crash = new Crashpoint();
  /** The process of every project: gives a new work item its first state. */
  process: ProcessName = 'Agile';
  /** When set, every change stamps the item's modified time (like System.ChangedDate); otherwise items have none. */
  clock: (() => string) | null = null;
  constructor(private readonly latencyMs = 0) {}

  private stamp(item: StoredWorkItem): void {
    if (this.clock) item.modifiedAt = this.clock();
  }

  /** A new revision of the far end of a parent link that was added or removed. */
  private touch(key: string | null): void {
    const item = key === null ? undefined : this.items.get(key);
    if (!item) return;
    item.rev++;
    this.stamp(item);
  }

  seed(type: string, fields: Record<string, FieldValue>, parentKey: string | null = null): string {
    const key = String(this.nextId++);
    this.items.set(key, { key, type, parentKey, fields: { 'System.TeamProject': 'Apollo', 'System.IterationPath': 'Apollo\\Sprint 1', 'System.WorkItemType': type, ...fields }, rev: 1 });
    this.stamp(this.items.get(key)!);
    this.touch(parentKey);
    return key;
  }

  /** An edit made by someone in ADO: bumps the rev (and, for a move, the revs of both parents). */
  edit(key: string, fields: Record<string, FieldValue>, parentKey?: string | null): void {
    const item = this.items.get(key)!;
    Object.assign(item.fields, fields);
    if (parentKey !== undefined && parentKey !== item.parentKey) {
      this.touch(item.parentKey);
      this.touch(parentKey);
      item.parentKey = parentKey;
    }
    item.rev++;
    this.stamp(item);
  }

  clone(): MemoryAdo {
    const copy = new MemoryAdo(this.latencyMs);
    copy.nextId = this.nextId;
    copy.clock = this.clock;
    copy.process = this.process;
    for (const [k, v] of this.items) copy.items.set(k, { ...v, fields: { ...v.fields } });
    return copy;
  }

  private toItem(s: StoredWorkItem): Item {
    return { key: s.key, system: 'ado', type: s.type, parentKey: s.parentKey, fields: { ...s.fields }, version: s.rev, ...(s.modifiedAt ? { modifiedAt: s.modifiedAt } : {}) };
  }

  private async latency(): Promise<void> {
    if (this.latencyMs > 0) await sleep(this.latencyMs);
  }

  /**
   * The work items of the scope's projects (area, iteration and team filters are not modelled).
   * Without a scope (a test looking at the whole organization, never the engine) every item.
   */
  async readScope(scope?: Parameters<AdoSide['readScope']>[0]): Promise<Item[]> {
    return this.crash.run(() => {
      const projects = scope && new Set(scope.map((s) => s.project.toLowerCase()));
      return [...this.items.values()].filter((s) => !projects || projects.has(String(s.fields['System.TeamProject'] ?? '').toLowerCase())).map((s) => this.toItem(s));
    });
  }

  async readByKeys(keys: readonly string[]): Promise<Item[]> {
    return this.crash.run(() => [...new Set(keys)].flatMap((k) => (this.items.has(k) ? [this.toItem(this.items.get(k)!)] : [])));
  }

  /** Like WIQL `[System.Tags] CONTAINS`: tags compare without case. */
  async findByMarkers(markers: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return this.crash.run(() => {
      const found = new Map<string, string>();
      for (const s of [...this.items.values()].sort((a, b) => Number(a.key) - Number(b.key))) {
        const tags = String(s.fields['System.Tags'] ?? '').split(';').map((t) => t.trim().toLowerCase());
        for (const m of markers) if (tags.includes(m.toLowerCase()) && !found.has(m)) found.set(m, s.key);
      }
      return found;
    });
  }

  async create(request: AdoCreate): Promise<{ key: string; version: number }> {
    await this.latency();
    return this.crash.run(() => {
      if (request.parentKey !== null && !this.items.has(request.parentKey)) throw new Error(`TF201063: The work item link target ${request.parentKey} does not exist.`);
      const fields: Record<string, FieldValue> = {};
      assign(fields, request.fields);
      if (String(fields['System.Title'] ?? '').trim() === '') throw new Error('TF401320: Rule Error for field Title. Error code: Required, InvalidEmpty.');
      const key = String(this.nextId++);
      this.items.set(key, {
        key, type: request.type, parentKey: request.parentKey, rev: 1,
        fields: {
          'System.AreaPath': request.project, 'System.IterationPath': request.project, 'System.State': statesFor(this.process, request.type)[0]!,
          ...fields,
          'System.TeamProject': request.project, 'System.WorkItemType': request.type, 'System.Tags': normalizeTags(fields['System.Tags'], request.marker),
        },
      });
      this.stamp(this.items.get(key)!);
      this.touch(request.parentKey);
      this.creates++;
      return { key, version: 1 };
    });
  }

  /** A missing item is an error (ADO answers 404), not a stale precondition. */
  async update(request: AdoUpdate): Promise<GuardedWrite> {
    await this.latency();
    return this.crash.run(() => {
      const item = this.items.get(request.key);
      if (!item) throw new Error(`Work item ${request.key} no longer exists in Azure DevOps (it may have been deleted).`);
      if (item.rev !== Number(request.expectedVersion)) return { status: 'stale' } as const;
      const fields = { ...item.fields };
      assign(fields, request.fields);
      const moves = request.parentKey !== undefined && request.parentKey !== item.parentKey;
      if (moves && request.parentKey !== null && !this.items.has(request.parentKey)) throw new Error(`TF201063: The work item link target ${request.parentKey} does not exist.`);
      // ADO makes no revision for a patch that changes nothing.
      if (!moves && JSON.stringify(fields) === JSON.stringify(item.fields)) return { status: 'done', version: item.rev } as const;
      item.fields = fields;
      if (moves) {
        this.touch(item.parentKey);
        this.touch(request.parentKey!);
        item.parentKey = request.parentKey!;
      }
      item.rev++;
      this.stamp(item);
      return { status: 'done', version: item.rev } as const;
    });
  }

  /** Removing an item that is already gone is done (the adapter finds nothing to delete). */
  async remove(key: string, expectedVersion: string | number): Promise<GuardedWrite> {
    return this.crash.run(() => {
      const item = this.items.get(key);
      if (!item) return { status: 'done', version: expectedVersion } as const;
      if (item.rev !== Number(expectedVersion)) return { status: 'stale' } as const;
      this.items.delete(key);
      return { status: 'done', version: expectedVersion } as const;
    });
  }
}
