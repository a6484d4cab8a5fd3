/**
 * Matching what already exists, so a first sync links the same work instead of duplicating it:
 * - certain: a plan task whose "ADO Work Item ID" field names an unlinked work item in scope
 *   (besides the marker, task id and project name, which build-plan.ts `adopt` handles);
 * - proposed: a plan task and a work item with the same normalized title and a compatible level,
 *   whose parents are linked to each other (or proposed to be, or both are at the top). Found
 *   top-down, so children of a proposed pair can be proposed too (depending on it). A title that
 *   two candidates share on either side is never guessed: it is named in a note instead.
 * Pure: everything comes from the views and the links.
 */
import { planDepth, typeForOutline, type LinkIndex } from './hierarchy.js';
import { linkIdFor } from './ids.js';
import { ADO_ID_FIELD } from './planbridge-fields.js';
import type { Integration, Item } from './model.js';
import type { LinkOp } from './plan.js';
import { TEAM_PROJECT_TYPE, type SideView } from './scope.js';

export { ADO_ID_FIELD };

/** The work item id a plan task's "ADO Work Item ID" holds (number or numeric string), or null. */
export function adoIdOf(item: Item): string | null {
  const v = item.fields[ADO_ID_FIELD];
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!/^\d+(\.0+)?$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? String(n) : null;
}

const nameOf = (item: Item): string => String(item.fields['Name'] ?? item.fields['System.Title'] ?? item.key);

/**
 * Links unlinked plan tasks to the unlinked work items their "ADO Work Item ID" names. An id that
 * two unlinked tasks hold (a copied task keeps its fields) links neither, with a note.
 */
export function linkByAdoId(
  integration: Integration, planView: SideView, adoView: SideView, links: LinkIndex,
): { ops: LinkOp[]; warnings: string[] } {
  const claims = new Map<string, string[]>();
  for (const item of planView.items.values()) {
    if (links.adoOfPlan(item.key) !== undefined) continue;
    const id = adoIdOf(item);
    if (id === null) continue;
    const ado = adoView.items.get(id);
    if (!ado || ado.type === TEAM_PROJECT_TYPE || links.planOfAdo(id) !== undefined) continue;
    const list = claims.get(id);
    if (list) list.push(item.key);
    else claims.set(id, [item.key]);
  }
  const ops: LinkOp[] = [];
  const warnings: string[] = [];
  for (const [adoKey, planKeys] of claims) {
    if (planKeys.length > 1) {
      const names = planKeys.map((k) => `"${nameOf(planView.items.get(k)!)}"`).join(', ');
      warnings.push(`Plan tasks ${names} all hold ADO Work Item ID ${adoKey}, so none was linked to #${adoKey} by it; clear the field on the copies.`);
      continue;
    }
    const planKey = planKeys[0]!;
    const linkId = linkIdFor(integration.id, 'plan', planKey);
    ops.push({ kind: 'link', id: `link:${linkId}`, linkId, planKey, adoKey, reason: 'ado-id' });
  }
  return { ops, warnings };
}

/** Case, whitespace and punctuation do not count: "Check-out " and "checkout" are one title. */
export function normalizeTitle(title: unknown): string {
  if (typeof title !== 'string') return '';
  return title.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

export interface Proposed {
  readonly id: string;
  readonly linkId: string;
  readonly planKey: string;
  readonly adoKey: string;
  /** 0 for pairs under linked parents (or at the top); one more per proposed ancestor pair. */
  readonly depth: number;
  readonly dependsOn: string | null;
}

export interface MatchInput {
  readonly integration: Integration;
  readonly planView: SideView;
  readonly adoView: SideView;
  /** The certain links: stored ones and those adopted in this run. */
  readonly links: LinkIndex;
}

const kidsOf = (view: SideView, key: string | null): readonly string[] => (key === null ? view.roots : view.children.get(key) ?? []);

/**
 * Whether a plan task and a work item sit at the same level: the work item has the type the
 * hierarchy settings would create for the task, or at least both are leaves or both have children.
 */
export function compatibleLevel(integration: Integration, planView: SideView, adoView: SideView, planKey: string, ado: Item): boolean {
  const plan = planView.items.get(planKey)!;
  const planContainer = (planView.children.get(planKey)?.length ?? 0) > 0 || plan.type === 'Summary';
  const expected = typeForOutline(integration, planDepth(planView, planKey, integration.hierarchy.teamProjectAsTopParent), planContainer);
  if (ado.type === expected) return true;
  const adoContainer = (adoView.children.get(ado.key)?.length ?? 0) > 0;
  return planContainer === adoContainer;
}

/** Proposes pairs by title, top-down from the linked pairs and the top level; parents come before children. */
export function proposeMatches(input: MatchInput): { proposals: Proposed[]; warnings: string[] } {
  const { integration, planView, adoView, links } = input;
  const proposals: Proposed[] = [];
  const warnings: string[] = [];
  type Anchor = { plan: string | null; ado: string | null; proposal: Proposed | null };
  const queue: Anchor[] = [{ plan: null, ado: null, proposal: null }];
  for (const planKey of planView.items.keys()) {
    const adoKey = links.adoOfPlan(planKey);
    // Under a link retired on purpose nothing is synced, so nothing is proposed either.
    if (adoKey !== undefined && adoView.items.has(adoKey) && !links.retired?.('plan', planKey)) queue.push({ plan: planKey, ado: adoKey, proposal: null });
  }
  const unlinkedPlan = (k: string): boolean => links.adoOfPlan(k) === undefined;
  const unlinkedAdo = (k: string): boolean => links.planOfAdo(k) === undefined && adoView.items.get(k)!.type !== TEAM_PROJECT_TYPE;

  for (let n = 0; n < queue.length; n++) {
    const anchor = queue[n]!;
    const planKids = kidsOf(planView, anchor.plan).filter(unlinkedPlan);
    const adoKids = kidsOf(adoView, anchor.ado).filter(unlinkedAdo);
    if (planKids.length === 0 || adoKids.length === 0) continue;
    const adoByTitle = group(adoKids, (k) => normalizeTitle(adoView.items.get(k)!.fields['System.Title']));
    const planByTitle = group(planKids, (k) => normalizeTitle(planView.items.get(k)!.fields['Name']));
    for (const [title, plans] of planByTitle) {
      const ados = title === '' ? undefined : adoByTitle.get(title);
      if (!ados) continue;
      const fits = (p: string, a: string): boolean => compatibleLevel(integration, planView, adoView, p, adoView.items.get(a)!);
      const candidates = new Map(plans.map((p) => [p, ados.filter((a) => fits(p, a))]));
      const rivals = new Map(ados.map((a) => [a, plans.filter((p) => fits(p, a))]));
      let unsure = false;
      for (const planKey of plans) {
        const found = candidates.get(planKey)!;
        if (found.length === 0) continue;
        if (found.length > 1 || rivals.get(found[0]!)!.length > 1) { unsure = true; continue; }
        const adoKey = found[0]!;
        const linkId = linkIdFor(integration.id, 'plan', planKey);
        const proposal: Proposed = {
          id: `match:${linkId}`, linkId, planKey, adoKey,
          depth: anchor.proposal ? anchor.proposal.depth + 1 : 0,
          dependsOn: anchor.proposal?.id ?? null,
        };
        proposals.push(proposal);
        queue.push({ plan: planKey, ado: adoKey, proposal });
      }
      if (unsure) {
        const name = nameOf(planView.items.get(plans[0]!)!);
        const unsurePlans = plans.filter((p) => candidates.get(p)!.length > 0).length;
        const unsureAdo = ados.filter((a) => rivals.get(a)!.length > 0).map((a) => `#${a}`);
        warnings.push(`"${name}": ${unsurePlans === 1 ? 'a plan task' : `${unsurePlans} plan tasks`} and ${unsureAdo.length === 1 ? `work item ${unsureAdo[0]}` : `work items ${unsureAdo.join(', ')}`} share this title at the same place, so no pair was proposed for linking and they are treated as different work. Rename one, or set "ADO Work Item ID" on the task, to link them.`);
      }
    }
  }
  return { proposals, warnings };
}

function group(keys: readonly string[], by: (k: string) => string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of keys) {
    const t = by(k);
    const list = out.get(t);
    if (list) list.push(k);
    else out.set(t, [k]);
  }
  return out;
}
