import { tenantPartition } from './containers.js';
import { DocumentCollection, type BaseDocument } from './document-collection.js';
import { DuplicateError } from './errors.js';
import { compositeId } from './ids.js';
import type { DocumentSchema } from './schema.js';

/**
 * Usage metering, counted as FluentPro counts "endpoints" (../shared/research/001_*): one per
 * unique item successfully transferred in a 30-day window, however many times it is synced and
 * however many attendees an event has. One document per (tenant, window, kind, integration, item),
 * its id derived from those, written with create-if-absent: a second write of the same item in the
 * same window is a 409, never a second count, however many instances race.
 *
 * Windows: fixed 30-day windows from the tenant's first recorded use (UTC midnight of that day),
 * kept in an anchor document written once. Why not calendar months: months are 28-31 days, and the
 * article counts "30 calendar days"; why not a global epoch: a tenant's first window would be a
 * random fraction of 30 days. Fixed windows never move, so an item's window is a pure function of
 * when it was written, and the id alone enforces "once per window".
 *
 * Documents live in the leases container (partition: tenant), beside PWA sign-ins: a new container
 * would need infra/azure.bicep to create it first (data-plane roles cannot). Every query here
 * filters on `c.kind`. Size: ~400 bytes a document, so 10,000 items a window for 10 years is
 * ~0.5 GB of the 20 GB per tenant partition; a dedicated container with a TTL can come later.
 */
export const USAGE_WINDOW_DAYS = 30;
const WINDOW_MS = USAGE_WINDOW_DAYS * 86_400_000;

export type UsageKind = 'work-item' | 'event';

export interface UsageWindow {
  /** 0 = the tenant's first window. */
  index: number;
  start: string;
  /** Exclusive. */
  end: string;
}

export interface UsageDocument extends BaseDocument {
  kind: 'usage';
  window: number;
  integrationId: string;
  itemKind: UsageKind;
  /** The unique item: a plan task's link id (work items) or event link id (events). */
  itemKey: string;
  at: string;
}

interface UsageAnchorDocument extends BaseDocument {
  kind: 'usage-anchor';
  /** UTC midnight of the first recorded use: window 0 starts here. */
  windowsFrom: string;
}

export interface UsageItem {
  integrationId: string;
  kind: UsageKind;
  itemKey: string;
}

export interface UsageCount {
  integrationId: string;
  kind: UsageKind;
  count: number;
}

export interface UsageSummary {
  window: UsageWindow;
  total: number;
  byKind: Record<UsageKind, number>;
  /** Per integration and kind, largest first. */
  byIntegration: UsageCount[];
}

export interface UsageRepository {
  /** Counts the item in the window of `at` (default now), once: `counted` is false for a repeat. */
  record(tenantId: string, item: UsageItem, at?: Date): Promise<{ counted: boolean; window: UsageWindow }>;
  /** The window of `at` (default now); window 0 from now when the tenant has no usage yet. */
  windowAt(tenantId: string, at?: Date): Promise<UsageWindow>;
  /** Counts of the current window, by integration and kind. */
  current(tenantId: string, at?: Date): Promise<UsageSummary>;
  /** The last `windows` windows up to the current one, oldest first (windows before the first use are left out). */
  trend(tenantId: string, windows: number, at?: Date): Promise<UsageTrend>;
  /** Both at once, from one read of the records (the usage card shows both). */
  report(tenantId: string, windows: number, at?: Date): Promise<{ current: UsageSummary; trend: UsageTrend }>;
}

export type UsageTrend = Array<{ window: UsageWindow; total: number; byKind: Record<UsageKind, number> }>;

export const usageSchema: DocumentSchema<UsageDocument> = {
  kind: 'usage record',
  current: 1,
  upgrades: {},
  check: (doc): doc is Record<string, unknown> & UsageDocument =>
    doc.kind === 'usage' && typeof doc.window === 'number' && typeof doc.itemKey === 'string' && (doc.itemKind === 'work-item' || doc.itemKind === 'event'),
};

export const usageAnchorSchema: DocumentSchema<UsageAnchorDocument> = {
  kind: 'usage anchor',
  current: 1,
  upgrades: {},
  check: (doc): doc is Record<string, unknown> & UsageAnchorDocument => doc.kind === 'usage-anchor' && typeof doc.windowsFrom === 'string',
};

// Composite ids contain ':', which encoded lease names never do, so the two never collide.
const ANCHOR_ID = compositeId('usage', 'anchor');
const recordId = (window: number, item: UsageItem): string => compositeId('usage', String(window), item.kind, item.integrationId, item.itemKey);
const utcMidnight = (ms: number): number => Math.floor(ms / 86_400_000) * 86_400_000;

function windowOf(fromMs: number, index: number): UsageWindow {
  return { index, start: new Date(fromMs + index * WINDOW_MS).toISOString(), end: new Date(fromMs + (index + 1) * WINDOW_MS).toISOString() };
}

/** A clock a little behind the one that anchored the tenant still lands in window 0. */
const indexAt = (fromMs: number, atMs: number): number => Math.max(0, Math.floor((atMs - fromMs) / WINDOW_MS));

const zero = (): Record<UsageKind, number> => ({ 'work-item': 0, event: 0 });

export function createUsageRepository(
  records: DocumentCollection<UsageDocument>,
  anchors: DocumentCollection<UsageAnchorDocument>,
  now: () => Date = () => new Date(),
): UsageRepository {
  /** Anchors never change once written, so they are cached per process. */
  const cache = new Map<string, number>();

  async function anchor(tenantId: string, create: Date | null): Promise<number | undefined> {
    const cached = cache.get(tenantId);
    if (cached !== undefined) return cached;
    const pk = tenantPartition(tenantId);
    let doc = await anchors.read(tenantId, ANCHOR_ID, pk);
    if (!doc && create) {
      try {
        doc = await anchors.create({ id: ANCHOR_ID, tenantId, pk, schemaVersion: usageAnchorSchema.current, kind: 'usage-anchor', windowsFrom: new Date(utcMidnight(create.getTime())).toISOString() });
      } catch (err) {
        if (!(err instanceof DuplicateError)) throw err;
        doc = await anchors.read(tenantId, ANCHOR_ID, pk); // another instance anchored first
      }
    }
    if (!doc) return undefined;
    const from = Date.parse(doc.windowsFrom);
    cache.set(tenantId, from);
    return from;
  }

  async function windowAt(tenantId: string, at = now()): Promise<UsageWindow> {
    const from = (await anchor(tenantId, null)) ?? utcMidnight(at.getTime());
    return windowOf(from, indexAt(from, at.getTime()));
  }

  async function counts(tenantId: string, fromWindow: number, toWindow: number) {
    return records.all(tenantId, {
      where: "c.kind = 'usage' AND c.window >= @from AND c.window <= @to",
      parameters: [{ name: '@from', value: fromWindow }, { name: '@to', value: toWindow }],
    }, tenantPartition(tenantId));
  }

  /** One read of the last `windows` windows' records, counted as the current window's summary and as the trend. */
  async function report(tenantId: string, windows: number, at = now()): Promise<{ current: UsageSummary; trend: UsageTrend }> {
    const window = await windowAt(tenantId, at);
    const first = Math.max(0, window.index - Math.max(1, windows) + 1);
    const from = Date.parse(window.start) - window.index * WINDOW_MS;
    const trend: UsageTrend = Array.from({ length: window.index - first + 1 }, (_, i) => ({ window: windowOf(from, first + i), total: 0, byKind: zero() }));
    const byKind = zero();
    const byIntegration = new Map<string, UsageCount>();
    for (const doc of await counts(tenantId, first, window.index)) {
      const slot = trend[doc.window - first];
      if (slot) {
        slot.byKind[doc.itemKind] += 1;
        slot.total += 1;
      }
      if (doc.window !== window.index) continue;
      byKind[doc.itemKind] += 1;
      const key = `${doc.integrationId}\u0000${doc.itemKind}`;
      const entry = byIntegration.get(key) ?? { integrationId: doc.integrationId, kind: doc.itemKind, count: 0 };
      entry.count += 1;
      byIntegration.set(key, entry);
    }
    const list = [...byIntegration.values()].sort((a, b) => b.count - a.count || a.integrationId.localeCompare(b.integrationId) || a.kind.localeCompare(b.kind));
    return { current: { window, total: byKind['work-item'] + byKind.event, byKind, byIntegration: list }, trend };
  }

  return {
    async record(tenantId, item, at = now()) {
      const from = (await anchor(tenantId, at))!;
      const window = windowOf(from, indexAt(from, at.getTime()));
      try {
        await records.create({
          id: recordId(window.index, item), tenantId, pk: tenantPartition(tenantId), schemaVersion: usageSchema.current, kind: 'usage',
          window: window.index, integrationId: item.integrationId, itemKind: item.kind, itemKey: item.itemKey, at: at.toISOString(),
        });
        return { counted: true, window };
      } catch (err) {
        if (err instanceof DuplicateError) return { counted: false, window };
        throw err;
      }
    },
    windowAt,
    current: async (tenantId, at = now()) => (await report(tenantId, 1, at)).current,
    trend: async (tenantId, windows, at = now()) => (await report(tenantId, windows, at)).trend,
    report,
  };
}

/** What the ADO apply path reports per item (sync/apply.ts ItemResult, structurally). */
export interface SyncedItemResult {
  readonly linkId: string;
  readonly kind: string;
  readonly side: string | null;
  readonly status: string;
}

/**
 * Counts the work items an ADO sync transferred: each link with a successful create or update on
 * the ADO side, once per window. Call it after applyPlan returns (re-running it is harmless).
 */
export async function meterWorkItems(usage: UsageRepository, tenantId: string, integrationId: string, results: readonly SyncedItemResult[], at?: Date): Promise<number> {
  const links = new Set(results.filter((r) => r.status === 'done' && r.side === 'ado' && (r.kind === 'create' || r.kind === 'update')).map((r) => r.linkId));
  let counted = 0;
  for (const linkId of links) if ((await usage.record(tenantId, { integrationId, kind: 'work-item', itemKey: linkId }, at)).counted) counted += 1;
  return counted;
}
