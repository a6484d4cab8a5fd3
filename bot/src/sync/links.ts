/** Folds an apply outcome into the stored links: new links added, baselines patched, unlinked removed, retired kept as such. */
import type { ApplyOutcome } from './apply.js';
import type { Link } from './model.js';

export function mergeLinks(links: readonly Link[], outcome: Pick<ApplyOutcome, 'linkUpdates' | 'unlinked'> & { readonly retired?: readonly string[] }): Link[] {
  const byId = new Map(links.map((l) => [l.id, l]));
  for (const id of outcome.unlinked) byId.delete(id);
  for (const id of outcome.retired ?? []) {
    const link = byId.get(id);
    if (link) byId.set(id, { ...link, retired: true });
  }
  for (const u of outcome.linkUpdates) {
    const prev = byId.get(u.linkId);
    const planKey = u.planKey ?? prev?.planKey;
    const adoKey = u.adoKey ?? prev?.adoKey;
    if (planKey === undefined || adoKey === undefined) continue; // a patch for a link that no longer exists
    const base = prev?.baseline ?? { fields: {} };
    byId.set(u.linkId, {
      ...(prev?.retired ? { retired: true } : {}),
      id: u.linkId,
      planKey,
      adoKey,
      baseline: {
        ...base,
        ...u.baseline,
        fields: { ...base.fields, ...u.baseline.fields },
      },
    });
  }
  return [...byId.values()];
}
