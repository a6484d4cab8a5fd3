/**
 * The store side of an integration's links: loads them as engine links, and saves what the engine's
 * link merge (sync/settle.ts) produced as the smallest set of store writes: new links, changed
 * baselines, removed links. The engine decides every value; this only persists it.
 */
import { DuplicateError, type LinkBaseline, type LinkDocument, type LinkRepository } from '../store/index.js';
import { linkIdFor } from '../sync/ids.js';
import { canonicalJson } from '../sync/plan.js';
import type { Link, SideValues } from '../sync/model.js';

export interface LinkBook {
  load(): Promise<Link[]>;
  /** Persists `after` (the merged links) given `before` (what `load` gave). */
  save(before: readonly Link[], after: readonly Link[], stamp: { readonly runId: string; readonly syncedAt: string }): Promise<void>;
}

/** Work item ids are numbers in the store; a team project's stand-in key ("project:Phoenix") is not kept. */
const storable = (l: Link): boolean => /^\d+$/.test(l.adoKey);

export function createLinkBook(links: LinkRepository, tenantId: string, integrationId: string): LinkBook {
  return {
    async load() {
      const docs = [];
      let continuation: string | undefined;
      do {
        const page = await links.list(tenantId, integrationId, { pageSize: 1000, ...(continuation ? { continuation } : {}) });
        docs.push(...page.items);
        continuation = page.continuation;
      } while (continuation);
      return toEngineLinks(integrationId, docs);
    },
    async save(before, after, stamp) {
      const old = new Map(before.map((l) => [l.planKey, l]));
      const kept = new Set<string>();
      for (const link of after) {
        kept.add(link.planKey);
        if (!storable(link)) continue;
        const prev = old.get(link.planKey);
        if (prev && prev.adoKey === link.adoKey && canonicalJson(prev.baseline) === canonicalJson(link.baseline) && !!prev.retired === !!link.retired) continue;
        if (prev && link.retired && !prev.retired) {
          await links.retire(tenantId, integrationId, link.planKey);
          continue;
        }
        const baseline = toStored(link, stamp);
        if (!prev) {
          try {
            await links.create(tenantId, { integrationId, planTaskId: link.planKey, workItemId: Number(link.adoKey), baseline });
            continue;
          } catch (err) {
            if (!(err instanceof DuplicateError)) throw err; // a resumed run saved it already
          }
        }
        await links.updateBaseline(tenantId, integrationId, link.planKey, () => baseline);
      }
      for (const prev of before) if (!kept.has(prev.planKey)) await links.remove(tenantId, integrationId, prev.planKey);
    },
  };
}

function toStored(link: Link, stamp: { runId: string; syncedAt: string }): LinkBaseline {
  return {
    fields: { ...link.baseline.fields }, syncedAt: stamp.syncedAt, runId: stamp.runId,
    ...(link.baseline.planParent !== undefined ? { planParent: link.baseline.planParent } : {}),
    ...(link.baseline.adoParent !== undefined ? { adoParent: link.baseline.adoParent } : {}),
  };
}

/** Stored links as engine links. Their ids are derived from the plan task, so they are stable. */
export function toEngineLinks(integrationId: string, docs: readonly LinkDocument[]): Link[] {
  return docs.map((d) => ({
    id: linkIdFor(integrationId, 'plan', d.planTaskId),
    planKey: d.planTaskId,
    adoKey: String(d.workItemId),
    ...(d.retired ? { retired: true } : {}),
    baseline: {
      fields: (d.baseline?.fields ?? {}) as Record<string, SideValues>,
      ...(d.baseline?.planParent !== undefined ? { planParent: d.baseline.planParent } : {}),
      ...(d.baseline?.adoParent !== undefined ? { adoParent: d.baseline.adoParent } : {}),
    },
  }));
}
