/**
 * The executor: performs an approved plan exactly once, even across crashes.
 *
 * - ADO creates run level by level (parents before children) with bounded concurrency; every
 *   create is journaled as an intent before it is sent and carries the marker tag, so a resumed run
 *   finds a work item the crashed run made (journal intent + marker search) instead of creating a twin.
 * - Plan writes for a project go in one batch (one check-out/publish/check-in). New plan tasks get
 *   deterministic ids, so a resumed run recognizes them by id.
 * - Updates carry their preconditions; a stale item is re-read and counts as done only if it already
 *   holds exactly what we meant to write (our own earlier attempt), otherwise it is skipped as stale.
 * - The outcome lists per-item results and baseline updates only for writes that succeeded.
 */
import type { ApprovedPlan } from './approve.js';
import { compileMapping, type CompiledMapping } from './mapping/compile.js';
import type { FieldValue, Integration, Item, SideValues, System } from './model.js';
import type { AdoRefsWrite, BaselinePatch, CreateOp, DeleteOp, Operation, ParentRef, UpdateOp } from './plan.js';
import { ADO_ID_FIELD, ADO_LINK_FIELD, refValues, sameRef } from './planbridge-fields.js';
import { inPool } from './pool.js';
import { journaled, JournalUnavailable } from './journaled.js';
import type { JournalEntry, PlanWrite, SyncPorts } from './ports.js';

export const DEFAULT_ADO_CONCURRENCY = 8;

export interface ApplyOptions {
  /** Same id when resuming a run; the journal is keyed by it. */
  readonly runId: string;
  /** The integration the plan was made for (its mapping verifies stale items). */
  readonly integration: Integration;
  readonly adoConcurrency?: number;
  /** Called as each item finishes, for a progress card. */
  readonly onResult?: (result: ItemResult) => void;
}

export type ItemStatus = 'done' | 'skipped-stale' | 'failed';

export interface ItemResult {
  readonly opId: string;
  readonly linkId: string;
  readonly kind: Operation['kind'];
  readonly side: System | null;
  readonly status: ItemStatus;
  /** The item's key on the written side (the new key for creates). */
  readonly key?: string;
  readonly reason?: string;
}

/** A change to one link: a new link (with both keys) or a baseline patch for an existing one. */
export interface LinkUpdate {
  readonly linkId: string;
  readonly isNew: boolean;
  readonly planKey?: string;
  readonly adoKey?: string;
  readonly baseline: { readonly fields: Readonly<Record<string, SideValues>>; readonly planParent?: string | null; readonly adoParent?: string | null };
}

export interface ApplyOutcome {
  readonly runId: string;
  readonly planHash: string;
  readonly results: readonly ItemResult[];
  readonly linkUpdates: readonly LinkUpdate[];
  readonly unlinked: readonly string[];
  /** Unlinked with a survivor left unsynced: the link stays, retired (Link.retired). */
  readonly retired: readonly string[];
  readonly counts: { readonly done: number; readonly stale: number; readonly failed: number };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function applyPlan(plan: ApprovedPlan, ports: SyncPorts, options: ApplyOptions): Promise<ApplyOutcome> {
  const run = new Run(plan, ports, options);
  return run.execute();
}

class Run {
  private readonly journal = new Map<string, JournalEntry>();
  private readonly results = new Map<string, ItemResult>();
  /** ADO keys of items created in this run, by link id. */
  private readonly createdAdo = new Map<string, string>();
  /** Reference-field writes that failed (they have no operation of their own in the plan). */
  private readonly refsResults: ItemResult[] = [];
  private readonly mapping: CompiledMapping;

  constructor(private readonly plan: ApprovedPlan, private readonly ports: SyncPorts, private readonly options: ApplyOptions) {
    this.mapping = compileMapping(options.integration);
  }

  async execute(): Promise<ApplyOutcome> {
    for (const e of await journaled('work items', () => this.ports.journal.list(this.options.runId))) this.journal.set(e.opId, e);
    const ops = this.plan.operations;
    const concurrency = this.options.adoConcurrency ?? DEFAULT_ADO_CONCURRENCY;
    const adoWrites = ops.filter((o): o is UpdateOp | DeleteOp => (o.kind === 'update' || o.kind === 'delete') && o.side === 'ado');
    // Creating a child under a work item bumps the parent's rev (the link is on both), so updates
    // go first, guarded by the revs the preview saw; only those that need a new parent wait.
    const needsCreated = (o: UpdateOp | DeleteOp): boolean => o.kind === 'update' && o.parent != null && 'linkId' in o.parent;
    await inPool(adoWrites.filter((o) => !needsCreated(o)), concurrency, (op) => (op.kind === 'update' ? this.adoUpdate(op) : this.adoDelete(op)));
    await this.adoCreates(ops.filter((o): o is CreateOp => o.kind === 'create' && o.side === 'ado'));
    await inPool(adoWrites.filter(needsCreated), concurrency, (op) => this.adoUpdate(op as UpdateOp));
    await this.planWrites(ops.filter((o): o is CreateOp | UpdateOp | DeleteOp => o.kind !== 'link' && o.kind !== 'unlink' && o.side === 'plan'), this.refsWrites(ops));
    for (const op of ops) {
      if (op.kind === 'link') this.record(op, 'done');
      else if (op.kind === 'unlink') {
        // "Delete it on the other side too": the link goes only once the delete happened, so a
        // failed delete never makes the next run re-create what was meant to go.
        const del = ops.find((o) => o.kind === 'delete' && o.linkId === op.linkId);
        if (del && this.results.get(del.id)?.status !== 'done') this.record(op, 'failed', { reason: 'the deletion did not happen, so the link was kept' });
        else this.record(op, 'done');
      }
    }
    return this.outcome();
  }

  private refsFailed(r: RefsWrite, reason: string): void {
    const result: ItemResult = {
      opId: r.opId, linkId: r.linkId, kind: 'update', side: 'plan', status: 'failed', key: r.refs.planKey,
      reason: `the work item's ID and link were not written into the plan task: ${reason}`,
    };
    this.refsResults.push(result);
    this.options.onResult?.(result);
  }

  private record(op: Operation, status: ItemStatus, extra: { key?: string; reason?: string } = {}): void {
    const result: ItemResult = { opId: op.id, linkId: op.linkId, kind: op.kind, side: 'side' in op ? op.side : null, status, ...extra };
    this.results.set(op.id, result);
    this.options.onResult?.(result);
  }

  private async done(op: CreateOp | UpdateOp | DeleteOp, key: string): Promise<void> {
    if (this.journal.get(op.id)?.state !== 'done') {
      await journaled('work items', () => this.ports.journal.markDone(this.options.runId, { opId: op.id, linkId: op.linkId, side: op.side, key }));
    }
    this.record(op, 'done', { key });
  }

  private intend(op: CreateOp): Promise<void> {
    return journaled('work items', () => this.ports.journal.recordIntent(this.options.runId, { opId: op.id, linkId: op.linkId, side: op.side, marker: op.marker }));
  }

  /** undefined: the parent was to be created in this run and was not. */
  private resolveParent(ref: ParentRef): string | null | undefined {
    if (ref === null) return null;
    return 'key' in ref ? ref.key : this.createdAdo.get(ref.linkId);
  }

  private async adoCreates(creates: CreateOp[]): Promise<void> {
    // A create with an intent but no completion may have reached ADO before a crash: look for its marker.
    const unsure = creates.filter((op) => this.journal.get(op.id)?.state === 'intended');
    let found: ReadonlyMap<string, string> | null = new Map();
    if (unsure.length > 0) {
      try {
        found = await this.ports.ado.findByMarkers(unsure.map((op) => op.marker));
      } catch {
        found = null;
      }
    }
    const levels = [...new Set(creates.map((op) => op.level))].sort((a, b) => a - b);
    for (const level of levels) {
      const batch = creates.filter((op) => op.level === level);
      await inPool(batch, this.options.adoConcurrency ?? DEFAULT_ADO_CONCURRENCY, (op) => this.adoCreate(op, found));
    }
  }

  private async adoCreate(op: CreateOp, found: ReadonlyMap<string, string> | null): Promise<void> {
    const entry = this.journal.get(op.id);
    if (entry?.state === 'done' && entry.key !== undefined) {
      this.createdAdo.set(op.linkId, entry.key);
      return this.record(op, 'done', { key: entry.key });
    }
    const parentKey = this.resolveParent(op.parent);
    if (parentKey === undefined) return this.record(op, 'failed', { reason: 'its parent was not created, so it was left for the next run' });
    if (entry?.state === 'intended') {
      if (found === null) return this.record(op, 'failed', { reason: 'an earlier attempt may have created it and ADO could not be searched for it; it was left for the next run' });
      const existing = found.get(op.marker);
      if (existing !== undefined) {
        this.createdAdo.set(op.linkId, existing);
        return this.done(op, existing);
      }
    } else {
      await this.intend(op);
    }
    let key: string;
    try {
      key = (await this.ports.ado.create({ project: op.project, type: op.type, parentKey, fields: op.fields, marker: op.marker })).key;
    } catch (err) {
      return this.record(op, 'failed', { reason: message(err) });
    }
    this.createdAdo.set(op.linkId, key);
    await this.done(op, key);
  }

  private async adoUpdate(op: UpdateOp): Promise<void> {
    if (this.journal.get(op.id)?.state === 'done') return this.record(op, 'done', { key: op.key });
    const parentKey = op.parent === undefined ? undefined : this.resolveParent(op.parent);
    if (op.parent !== undefined && parentKey === undefined) return this.record(op, 'failed', { reason: 'its new parent was not created' });
    let current: Item | undefined;
    try {
      const r = await this.ports.ado.update({ key: op.key, expectedVersion: op.expectedVersion, fields: op.fields, ...(op.parent !== undefined ? { parentKey } : {}) });
      if (r.status === 'done') return await this.done(op, op.key);
      [current] = await this.ports.ado.readByKeys([op.key]);
    } catch (err) {
      if (err instanceof JournalUnavailable) throw err;
      return this.record(op, 'failed', { reason: message(err) });
    }
    await this.settleStale(op, current, parentKey);
  }

  private async adoDelete(op: DeleteOp): Promise<void> {
    if (this.journal.get(op.id)?.state === 'done') return this.record(op, 'done', { key: op.key });
    let gone: boolean;
    try {
      const r = await this.ports.ado.remove(op.key, op.expectedVersion);
      gone = r.status === 'done' || (await this.ports.ado.readByKeys([op.key])).length === 0;
    } catch (err) {
      return this.record(op, 'failed', { reason: message(err) });
    }
    if (gone) return this.done(op, op.key);
    this.record(op, 'skipped-stale', { reason: 'it changed in ADO since the preview' });
  }

  /** A failed precondition is our own earlier write when the item holds exactly what we meant to write. */
  private async settleStale(op: UpdateOp, current: Item | undefined, parentKey: string | null | undefined): Promise<void> {
    const where = op.side === 'ado' ? 'ADO' : 'the plan';
    if (!current) return this.record(op, 'skipped-stale', { reason: `it no longer exists in ${where}` });
    let ours = op.parent === undefined || current.parentKey === parentKey;
    for (const [ruleId, values] of Object.entries(op.baseline.fields ?? {})) {
      const c = this.mapping.byId(ruleId);
      if (!ours || !c) { ours = false; break; }
      ours = op.side === 'ado'
        ? c.conv.normAdo(current.fields[c.rule.adoField]) === values.ado
        : c.conv.normPlan(current.fields[c.rule.planField]) === values.plan;
    }
    // PlanBridge's reference fields have no rule: compare them as written.
    for (const field of [ADO_ID_FIELD, ADO_LINK_FIELD]) if (ours && field in op.fields) ours = sameRef(current.fields[field], op.fields[field] ?? null);
    if (ours) return this.done(op, op.key);
    if (op.side === 'ado' && untouched(op, current)) {
      // Only the rev moved (a child linked under it, say): write again on the current rev, once.
      try {
        const again = await this.ports.ado.update({ key: op.key, expectedVersion: current.version, fields: op.fields, ...(op.parent !== undefined ? { parentKey } : {}) });
        if (again.status === 'done') return await this.done(op, op.key);
      } catch (err) {
        if (err instanceof JournalUnavailable) throw err;
        return this.record(op, 'failed', { reason: message(err) });
      }
    }
    this.record(op, 'skipped-stale', { reason: `it changed in ${where} since the preview; it will show in a fresh preview` });
  }

  /**
   * The plan tasks whose reference fields get the id and link of the work item created (or linked)
   * for them in this run: known only now, so sent with the plan batch that follows the ADO creates.
   * Not journaled: writing the same id twice is harmless, and a task changed since the preview
   * (a stale write) is left for the next preview, which proposes the write as an update.
   */
  private refsWrites(ops: readonly Operation[]): RefsWrite[] {
    const out: RefsWrite[] = [];
    const url = this.ports.ado.workItemUrl ? (key: string) => this.ports.ado.workItemUrl!(key) : undefined;
    for (const op of ops) {
      if ((op.kind !== 'create' && op.kind !== 'link') || !op.adoRefs) continue;
      const adoKey = op.kind === 'link' ? op.adoKey : this.createdAdo.get(op.linkId);
      if (adoKey === undefined || (op.kind === 'create' && this.results.get(op.id)?.status !== 'done')) continue;
      const fields = refValues(op.adoRefs, adoKey, url);
      if (Object.keys(fields).length > 0) out.push({ opId: `refs:${op.linkId}`, linkId: op.linkId, refs: op.adoRefs, fields });
    }
    return out;
  }

  private async planWrites(ops: Array<CreateOp | UpdateOp | DeleteOp>, refs: readonly RefsWrite[] = []): Promise<void> {
    const projects = [...new Set([...ops.map((op) => op.project), ...refs.map((r) => r.refs.planProject)])].sort();
    for (const project of projects) {
      const mine = ops.filter((op) => op.project === project)
        .sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const writes: PlanWrite[] = [];
      const sent: Array<CreateOp | UpdateOp | DeleteOp> = [];
      const unsure = mine.filter((op) => op.kind === 'create' && this.journal.get(op.id)?.state === 'intended');
      let existing: Set<string> | null = new Set();
      if (unsure.length > 0) {
        try {
          existing = new Set((await this.ports.plan.readByKeys(project, unsure.map((op) => (op as CreateOp).marker))).map((i) => i.key));
        } catch {
          existing = null;
        }
      }
      for (const op of mine) {
        const entry = this.journal.get(op.id);
        if (entry?.state === 'done') { this.record(op, 'done', { key: entry.key ?? (op.kind === 'create' ? op.marker : op.key) }); continue; }
        if (op.kind === 'create') {
          if (entry?.state === 'intended') {
            if (existing === null) { this.record(op, 'failed', { reason: 'an earlier attempt may have created it and the plan could not be read; it was left for the next run' }); continue; }
            if (existing.has(op.marker)) { await this.done(op, op.marker); continue; }
          } else {
            await this.intend(op);
          }
          const parentKey = op.parent === null ? null : 'key' in op.parent ? op.parent.key : null;
          writes.push({ kind: 'create', opId: op.id, key: op.marker, parentKey, fields: op.fields });
        } else if (op.kind === 'update') {
          const parentKey = op.parent === undefined ? undefined : op.parent === null ? null : 'key' in op.parent ? op.parent.key : undefined;
          // Sent before a crash: the batch may have landed, and Project may have adjusted what it
          // wrote (a finish kept after its start), so a changed version then means our own write.
          if (entry?.state !== 'intended') await journaled('work items', () => this.ports.journal.recordIntent(this.options.runId, { opId: op.id, linkId: op.linkId, side: 'plan', marker: op.key }));
          writes.push({ kind: 'update', opId: op.id, key: op.key, expectedVersion: op.expectedVersion, fields: op.fields, ...(op.parent !== undefined ? { parentKey } : {}) });
        } else {
          writes.push({ kind: 'delete', opId: op.id, key: op.key, expectedVersion: op.expectedVersion });
        }
        sent.push(op);
      }
      const myRefs = refs.filter((r) => r.refs.planProject === project);
      for (const r of myRefs) writes.push({ kind: 'update', opId: r.opId, key: r.refs.planKey, expectedVersion: r.refs.expectedVersion, fields: r.fields });
      if (writes.length === 0) continue;
      let results: Map<string, { status: string; reason?: string }>;
      try {
        results = new Map((await this.ports.plan.applyBatch(project, writes)).map((r) => [r.opId, r]));
      } catch (err) {
        for (const op of sent) this.record(op, 'failed', { reason: `the plan could not be published: ${message(err)}` });
        for (const r of myRefs) this.refsFailed(r, `the plan could not be published: ${message(err)}`);
        continue;
      }
      for (const r of myRefs) {
        const result = results.get(r.opId);
        if (result?.status === 'failed') this.refsFailed(r, result.reason ?? 'failed');
      }
      const staleKeys = sent.filter((op) => results.get(op.id)?.status === 'stale').map((op) => (op.kind === 'create' ? op.marker : op.key));
      let current = new Map<string, Item>();
      if (staleKeys.length > 0) {
        try {
          current = new Map((await this.ports.plan.readByKeys(project, staleKeys)).map((i) => [i.key, i]));
        } catch { /* judged stale below */ }
      }
      for (const op of sent) {
        const r = results.get(op.id);
        const key = op.kind === 'create' ? op.marker : op.key;
        if (!r) this.record(op, 'failed', { reason: 'the plan did not report on this task' });
        else if (r.status === 'done') await this.done(op, key);
        else if (r.status === 'failed') this.record(op, 'failed', { reason: r.reason ?? 'failed' });
        else if (op.kind === 'update' && this.journal.get(op.id)?.state === 'intended' && current.has(op.key)) await this.done(op, key);
        else if (op.kind === 'update') await this.settleStale(op, current.get(op.key), op.parent === undefined ? undefined : op.parent === null ? null : 'key' in op.parent ? op.parent.key : undefined);
        else if (op.kind === 'delete' && !current.has(op.key)) await this.done(op, key);
        else this.record(op, 'skipped-stale', { reason: 'it changed in the plan since the preview' });
      }
    }
  }

  private outcome(): ApplyOutcome {
    const updates = new Map<string, { linkId: string; isNew: boolean; planKey?: string; adoKey?: string; fields: Record<string, SideValues>; planParent?: string | null; adoParent?: string | null }>();
    const touch = (linkId: string) => {
      let u = updates.get(linkId);
      if (!u) updates.set(linkId, (u = { linkId, isNew: false, fields: {} }));
      return u;
    };
    const patch = (linkId: string, p: BaselinePatch): void => {
      const u = touch(linkId);
      Object.assign(u.fields, p.fields ?? {});
      if (p.planParent !== undefined) u.planParent = p.planParent;
      if (p.adoParent !== undefined) {
        const resolved = this.resolveParent(p.adoParent);
        if (resolved !== undefined) u.adoParent = resolved;
      }
    };
    for (const r of this.plan.refresh) patch(r.linkId, r.baseline);
    const unlinked: string[] = [];
    const retired: string[] = [];
    const results: ItemResult[] = [];
    for (const op of this.plan.operations) {
      const r = this.results.get(op.id);
      if (!r) continue;
      results.push(r);
      if (r.status !== 'done') continue;
      if (op.kind === 'link') Object.assign(touch(op.linkId), { isNew: true, planKey: op.planKey, adoKey: op.adoKey });
      else if (op.kind === 'create') {
        Object.assign(touch(op.linkId), op.side === 'ado'
          ? { isNew: true, planKey: op.sourceKey, adoKey: r.key }
          : { isNew: true, planKey: op.marker, adoKey: op.sourceKey });
        patch(op.linkId, op.baseline);
      } else if (op.kind === 'update') patch(op.linkId, op.baseline);
      else if (op.kind === 'unlink') (op.retire ? retired : unlinked).push(op.linkId);
    }
    results.push(...this.refsResults);
    for (const id of [...unlinked, ...retired]) updates.delete(id);
    const linkUpdates: LinkUpdate[] = [...updates.values()].map(({ fields, planParent, adoParent, ...keys }) => ({
      ...keys,
      baseline: { fields, ...(planParent !== undefined ? { planParent } : {}), ...(adoParent !== undefined ? { adoParent } : {}) },
    }));
    let done = 0, stale = 0, failed = 0;
    for (const r of results) r.status === 'done' ? done++ : r.status === 'failed' ? failed++ : stale++;
    return { runId: this.options.runId, planHash: this.plan.planHash, results, linkUpdates, unlinked, retired, counts: { done, stale, failed } };
  }
}

interface RefsWrite {
  readonly opId: string;
  readonly linkId: string;
  readonly refs: AdoRefsWrite;
  readonly fields: Readonly<Record<string, FieldValue>>;
}

/** Whether nobody touched the fields an update writes (nor the parent it moves) since planning. */
function untouched(op: UpdateOp, current: Item): boolean {
  if (!op.seen) return false;
  for (const [field, value] of Object.entries(op.seen)) if (JSON.stringify(current.fields[field] ?? null) !== JSON.stringify(value ?? null)) return false;
  for (const field of Object.keys(op.fields)) if (!(field in op.seen)) return false;
  return op.parent === undefined || (op.seenParent !== undefined && current.parentKey === op.seenParent);
}

function rank(op: CreateOp | UpdateOp | DeleteOp): number {
  return op.kind === 'create' ? op.level : op.kind === 'update' ? 10_000 : 20_000;
}
