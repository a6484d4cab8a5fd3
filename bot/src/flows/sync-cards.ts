/**
 * Builds the preview, progress and report cards of a sync run. The preview has two views of the
 * same run: approvers get the decisions and Approve; everyone else a read-only view. Teams asks
 * for each approver's view through the card's refresh action (Universal Actions).
 */
import type { CardButton, Fact, PreviewDecision, SyncPreviewCardData } from '../cards/card-data.js';
import { renderCard } from '../cards/render.js';
import type { IntegrationDocument, RunDocument } from '../store/index.js';
import { needsPeopleMatch } from '../sync/mapping/labels.js';
import type { FieldValue, Item } from '../sync/model.js';
import type { Conflict, Deletion, HierarchyMismatch, MatchChoice, MatchProposal, Operation, SyncPlan } from '../sync/plan.js';
import { button } from './card-kit.js';
import type { AdaptiveCardJson } from './chat.js';

export const PAGE_SIZE = 10;
/** Decisions shown per kind; the rest keep their preset (skip / keep) and are listed as such. */
export const MAX_DECISIONS = 25;

/** What the preview needs besides the plan, computed when the items are at hand. */
export interface RunSummary {
  /**
   * Human line per operation id, in display order: what the plan does as the card presets it
   * (proposed pairs linked), then the creations made only for pairs kept apart (`apart`), so the
   * report can name whichever were applied.
   */
  lines: Array<{ opId: string; text: string }>;
  /** Operation ids that happen only when a proposed pair is kept apart: not in the preview's list of changes. */
  apart?: string[];
  /** Titles of items named by conflicts and mismatches (their parents). */
  titles: Record<string, string>;
  direction: IntegrationDocument['direction'];
  startedAt: string;
  approvedBy?: string;
  /** "preview sync Apollo": shown, never approvable. */
  previewOnly?: boolean;
  durationMs?: number;
  results?: Array<{ opId: string; status: string; key?: string; side: string | null; reason?: string }>;
}

const show = (v: FieldValue | undefined): string => (v === null || v === undefined || v === '' ? '(empty)' : String(v).length > 80 ? `${String(v).slice(0, 80)}...` : String(v));

function titleOf(item: Item | undefined): string {
  if (!item) return '';
  return String(item.fields['System.Title'] ?? item.fields['Name'] ?? item.key);
}

export function summarize(plan: SyncPlan, planItems: readonly Item[], adoItems: readonly Item[], direction: RunSummary['direction'], now: Date): RunSummary {
  const plans = new Map(planItems.map((i) => [i.key, i]));
  const ados = new Map(adoItems.map((i) => [i.key, i]));
  const itemTitle = (side: 'plan' | 'ado', key: string) => titleOf((side === 'plan' ? plans : ados).get(key)) || key;
  const describe = (op: Operation): string => {
    switch (op.kind) {
      case 'create': {
        const name = String(op.fields['System.Title'] ?? op.fields['Name'] ?? itemTitle(op.side === 'ado' ? 'plan' : 'ado', op.sourceKey));
        return op.side === 'ado' ? `Create ${op.type} "${name}" in ADO` : `Create task "${name}" in the plan`;
      }
      case 'update': {
        const fields = Object.keys(op.fields);
        const what = [...fields, ...(op.parent !== undefined ? ['parent'] : [])].join(', ');
        return op.side === 'ado' ? `Update #${op.key} "${itemTitle('ado', op.key)}" in ADO: ${what}` : `Update "${itemTitle('plan', op.key)}" in the plan: ${what}`;
      }
      case 'link': return `Link "${itemTitle('plan', op.planKey)}" to existing #${op.adoKey}`;
      case 'delete': return op.side === 'ado' ? `Delete #${op.key} in ADO` : `Delete "${itemTitle('plan', op.key)}" in the plan`;
      case 'unlink': return 'Unlink a pair';
    }
  };
  const order: Record<Operation['kind'], number> = { create: 0, update: 1, link: 2, delete: 3, unlink: 4 };
  // Creations read top-down: by level, then in the source's outline order.
  const position = new Map<string, number>([...planItems, ...adoItems].map((item, n) => [`${item.system}:${item.key}`, n]));
  const rank = (op: Operation): number => (op.kind === 'create' ? op.level * 1e7 + (position.get(`${op.side === 'ado' ? 'plan' : 'ado'}:${op.sourceKey}`) ?? 0) : 0);
  const sorted = (ops: readonly Operation[]) => [...ops].sort((a, b) => order[a.kind] - order[b.kind] || rank(a) - rank(b));
  const matches = plan.matches ?? [];
  const preset = sorted([...plan.operations, ...matches.flatMap((m) => [m.link, ...m.ifLinked])]);
  const shown = new Set(preset.map((op) => op.id));
  const apart = sorted(matches.flatMap((m) => m.ifApart)).filter((op) => !shown.has(op.id) && (shown.add(op.id), true));
  const lines = [...preset, ...apart].map((op) => ({ opId: op.id, text: describe(op) }));
  const titles: Record<string, string> = {};
  for (const h of plan.hierarchy) {
    for (const [side, key] of [['plan', h.planParent], ['ado', h.adoParent]] as const) if (key) titles[`${side}:${key}`] = itemTitle(side, key);
  }
  return { lines, titles, direction, startedAt: now.toISOString(), ...(apart.length > 0 ? { apart: apart.map((op) => op.id) } : {}) };
}

const SYMBOL = (text: string): string => (text.startsWith('Create') ? '+' : text.startsWith('Update') ? '✎' : text.startsWith('Link') ? '⇄' : text.startsWith('Delete') ? '✗' : '•');

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** One proposed pair of the "Link existing" section; the card presets "link". */
function matchDecision(m: MatchProposal, index: number, byId: ReadonlyMap<string, MatchProposal>, choice: string | undefined): PreviewDecision {
  const above = m.dependsOn === null ? undefined : byId.get(m.dependsOn);
  const toAdo = m.ifApart.filter((op) => op.side === 'ado').length;
  const toPlan = m.ifApart.filter((op) => op.side === 'plan').length;
  const made = [...(toAdo > 0 ? [count(toAdo, 'new work item in ADO', 'new work items in ADO')] : []), ...(toPlan > 0 ? [count(toPlan, 'new plan task', 'new plan tasks')] : [])];
  const where = m.parentTitle === null ? 'at the top level on both sides' : above ? `under "${m.parentTitle}", itself proposed above` : `under "${m.parentTitle}", which is linked already`;
  return {
    inputId: `m_${index}`,
    title: `"${m.planTitle}" and #${m.link.adoKey} ${m.adoType} "${m.adoTitle}"`,
    lines: [
      `Same title and level ${where}.`,
      'Linked: one pair from now on; values that differ show on the next sync.',
      made.length > 0 ? `Kept apart: ${made.join(' and ')}, for it and what is below it.` : 'Kept apart: nothing is created for it in this run.',
      ...(above ? [`It is linked only if "${above.planTitle}" is linked too.`] : []),
    ],
    choices: [
      { title: 'Link them: they are the same work', value: 'link' },
      { title: 'Keep apart: create each on the other side', value: 'apart' },
      { title: 'Decide later: neither is linked nor created now', value: 'skip' },
    ],
    value: choice ?? 'link',
  };
}

function conflictDecision(c: Conflict, index: number, choice: string | undefined): PreviewDecision {
  return {
    inputId: `c_${index}`,
    title: `${c.title}: ${c.planField} / ${c.adoField}`,
    lines: [`Plan: ${show(c.plan)}`, `ADO: ${show(c.ado)}`, `At the last sync: ${c.baseline ? `${show(c.baseline.plan)} / ${show(c.baseline.ado)}` : 'never synced'}`],
    choices: [
      ...(c.resolutions.plan ? [{ title: 'Keep the plan value', value: 'plan' }] : []),
      ...(c.resolutions.ado ? [{ title: 'Keep the ADO value', value: 'ado' }] : []),
      { title: 'Skip for now', value: 'skip' },
    ],
    value: choice ?? c.choice ?? 'skip',
  };
}

function mismatchDecision(h: HierarchyMismatch, index: number, titles: Record<string, string>, choice: string | undefined): PreviewDecision {
  const parent = (side: 'plan' | 'ado', key: string | null) => (key ? `"${titles[`${side}:${key}`] ?? key}"` : 'top level');
  return {
    inputId: `h_${index}`,
    title: `"${h.title}" has different parents`,
    lines: [`In the plan: under ${parent('plan', h.planParent)}`, `In ADO: under ${parent('ado', h.adoParent)}`],
    choices: [
      ...(h.resolutions.plan ? [{ title: 'Follow the plan (move in ADO)', value: 'plan' }] : []),
      ...(h.resolutions.ado ? [{ title: 'Follow ADO (move in the plan)', value: 'ado' }] : []),
      { title: 'Skip for now', value: 'skip' },
    ],
    value: choice ?? h.choice ?? 'skip',
  };
}

function deletionDecision(d: Deletion, index: number, choice: string | undefined): PreviewDecision {
  const where = d.missingOn === 'both' ? 'both sides' : d.missingOn === 'ado' ? 'ADO' : 'the plan';
  const other = d.survivor?.side === 'ado' ? 'ADO' : 'the plan';
  return {
    inputId: `d_${index}`,
    title: d.survivor ? `"${d.survivor.title}" was deleted in ${where}` : `A linked pair was deleted on ${where}`,
    lines: d.survivor ? [
      `It still exists in ${other}.`,
      ...(d.children && d.children.length > 0 ? [`If it is deleted there too, its ${d.children.length === 1 ? 'subtask' : `${d.children.length} subtasks`} (${d.children.slice(0, 3).map((c) => `"${c.title}"`).join(', ')}${d.children.length > 3 ? ', ...' : ''}) stay and move to the top level, as in ADO.`] : []),
    ] : [],
    choices: d.allowed.map((a) => ({ title: a === 'keep' ? 'Keep the link, do nothing' : a === 'unlink' ? 'Unlink, keep the other item' : `Delete it in ${other} too`, value: a })),
    value: choice ?? d.choice ?? 'keep',
  };
}

export interface PreviewView {
  tenantId: string;
  integration: IntegrationDocument;
  run: RunDocument & { id: string };
  plan: SyncPlan;
  canDecide: boolean;
  page: number;
  /** Group chats and channels show who asked. */
  showRequester: boolean;
}

export function previewCard(v: PreviewView): AdaptiveCardJson {
  const summary = v.run.summary as unknown as RunSummary;
  const { counts } = v.plan;
  const ids = { integrationId: v.integration.id, runId: v.run.id };
  const apart = new Set(summary.apart ?? []);
  const shownLines = summary.lines.filter((l) => !apart.has(l.opId));
  const total = shownLines.length;
  const page = Math.max(0, Math.min(v.page, Math.max(0, Math.ceil(total / PAGE_SIZE) - 1)));
  const shownTo = Math.min(total, (page + 1) * PAGE_SIZE);
  const choices = v.run.choices ?? {};
  const facts: Fact[] = [
    { label: 'Create in ADO', value: String(counts.createAdo) },
    { label: 'Create in the plan', value: String(counts.createPlan) },
    { label: 'Update in ADO', value: String(counts.updateAdo) },
    { label: 'Update in the plan', value: String(counts.updatePlan) },
    { label: 'Link existing pairs', value: String(counts.link) },
    { label: 'Conflicts', value: String(counts.conflicts) },
    { label: 'Hierarchy mismatches', value: String(counts.hierarchy) },
    { label: 'Deletions flagged', value: String(counts.deletions) },
  ];
  const buttons: CardButton[] = [];
  if (shownTo < total) buttons.push(button(v.tenantId, 'Show more', 'sync.page', { ...ids, page: page + 1 }));
  const canDecide = v.canDecide && !summary.previewOnly;
  if (summary.previewOnly) buttons.push(button(v.tenantId, 'Sync for real', 'sync.preview', { integrationId: v.integration.id, direction: summary.direction }, 'positive'));
  if (canDecide) {
    buttons.push(button(v.tenantId, 'Approve and apply', 'sync.approve', { ...ids, hash: v.plan.hash }, 'positive'));
    buttons.push(button(v.tenantId, 'Reject', 'sync.reject', ids, 'destructive'));
  }
  // Resources with no ADO user: offer the People card, where an approver can pick one.
  if (v.plan.warnings.some(needsPeopleMatch)) buttons.push(button(v.tenantId, 'Match people', 'people.show', { integrationId: v.integration.id }));
  buttons.push(button(v.tenantId, 'Fresh preview', 'sync.preview', { integrationId: v.integration.id }));
  const matches = v.plan.matches ?? [];
  const matchChoices = (choices as { matches?: Record<string, MatchChoice> }).matches;
  const hasDecisions = v.plan.conflicts.length + v.plan.hierarchy.length + v.plan.deletions.length + matches.length > 0;
  const approvers = (v.integration.approvers ?? []).map((a) => a.id);
  const data: SyncPreviewCardData = {
    title: `Preview: ${v.integration.name}`,
    subtitle: summary.previewOnly
      ? `${total} change${total === 1 ? '' : 's'} a sync would make. This is a preview only: nothing will be applied from this card.`
      : `${total} change${total === 1 ? '' : 's'}; nothing is written until an approver approves.`,
    requestedBy: v.showRequester && v.run.requestedBy ? `Asked by ${v.run.requestedBy.name ?? 'a user'}` : '',
    counts: facts,
    changes: shownLines.slice(page * PAGE_SIZE, shownTo).map((l) => ({ symbol: SYMBOL(l.text), text: l.text })),
    pageNote: total === 0 ? 'No field changes; only the decisions below.' : `Showing ${page * PAGE_SIZE + 1} to ${shownTo} of ${total}.`,
    matches: matches.slice(0, MAX_DECISIONS).map((m, i, shown) => matchDecision(m, i, new Map(shown.map((x) => [x.id, x])), matchChoices?.[m.id])),
    conflicts: v.plan.conflicts.slice(0, MAX_DECISIONS).map((c, i) => conflictDecision(c, i, choices.conflicts?.[c.id])),
    hierarchy: v.plan.hierarchy.slice(0, MAX_DECISIONS).map((h, i) => mismatchDecision(h, i, summary.titles, choices.hierarchy?.[h.id])),
    deletions: v.plan.deletions.slice(0, MAX_DECISIONS).map((d, i) => deletionDecision(d, i, choices.deletions?.[d.id])),
    warnings: [...v.plan.warnings.slice(0, 3), ...(v.plan.warnings.length > 3 ? [`...and ${v.plan.warnings.length - 3} more notes like these.`] : []), ...(v.plan.conflicts.length > MAX_DECISIONS || v.plan.hierarchy.length > MAX_DECISIONS || v.plan.deletions.length > MAX_DECISIONS || matches.length > MAX_DECISIONS ? [`Only the first ${MAX_DECISIONS} decisions of each kind are shown; the rest are skipped (or kept, or left unlinked and uncreated) this time.`] : [])],
    canDecide,
    viewNote: summary.previewOnly ? `To sync, type "sync ${v.integration.planProjectName ?? v.integration.name}" or use Sync for real: it makes a fresh preview to approve.` : canDecide ? (matches.length > 0 ? 'You are an approver: check the pairs to link (preset: link) and pick a side for each decision, then approve.' : hasDecisions ? 'You are an approver: pick a side for each decision, then approve.' : 'You are an approver: check the changes, then approve.') : `Read-only view. Approvers: ${(v.integration.approvers ?? []).map((a) => a.name ?? 'unnamed').join(', ') || 'none'}.`,
    buttons,
    refresh: { action: { type: 'Action.Execute', verb: 'sync.view', data: { ...ids, t: v.tenantId } }, userIds: approvers },
  };
  return renderCard('sync-preview', data);
}

export function progressCard(title: string, subtitle: string, steps: Array<{ label: string; state: 'done' | 'active' | 'todo' }>, detail = ''): AdaptiveCardJson {
  return renderCard('progress', {
    title, subtitle, detail,
    steps: steps.map((s) => ({ label: s.label, mark: s.state === 'done' ? '✓' : s.state === 'active' ? '▸' : '○' })),
  });
}
