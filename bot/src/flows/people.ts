/**
 * The People card: each plan resource, the Azure DevOps user it is assigned as (matched by name or
 * e-mail on every preview, or chosen here), and a pick list for those without one. Saving stores
 * only the choices made here (approvers only; the guard checks tenant, integration and approver).
 */
import type { Choice, PeopleRow } from '../cards/card-data.js';
import { renderCard } from '../cards/render.js';
import type { IntegrationDocument, Stored } from '../store/index.js';
import type { DirectoryUser, PersonMatch } from '../sync/mapping/identity-match.js';
import { normalizeName } from '../sync/mapping/identity.js';
import { text, type ActionReply, type ActionTurn, type CardAction } from './actions.js';
import { approverNames, isApprover } from './action-guard.js';
import { button, FlowProblem } from './card-kit.js';
import type { AdaptiveCardJson } from './chat.js';
import { toEngineIntegration } from './integration-model.js';
import { matchPlanPeople, readAssignableUsers } from './people-directory.js';
import type { FlowServices } from './services.js';

/** Choice values besides a uniqueName. */
const UNASSIGNED = '-';
const AUTOMATIC = 'auto';
const MAX_ROWS = 40;
/** Teams drops cards over about 28 KB; every pick list repeats the users, so they share a budget (bytes of JSON). */
const CHOICE_BUDGET = 18_000;
const MAX_USERS = 200;
const MAX_OVERRIDES = 500;

interface PeopleView {
  matches: readonly PersonMatch[];
  users: DirectoryUser[];
  problem?: string;
}

async function readPeople(s: FlowServices, i: IntegrationDocument): Promise<PeopleView> {
  const [plan, ado] = await Promise.all([s.store.connections.get(i.tenantId, i.planConnectionId), s.store.connections.get(i.tenantId, i.adoConnectionId)]);
  if (!plan || !ado) throw new FlowProblem('A connection this integration uses was removed. Connect again, then link the project again.');
  const engine = toEngineIntegration(i);
  const [planItems, people] = await Promise.all([
    (async () => s.systems.planSide(await s.systems.plan(plan)).readScope(engine.scope.plan))(),
    (async () => readAssignableUsers(s, await s.systems.ado(ado), i))(),
  ]);
  const { matches } = matchPlanPeople(engine, planItems, people.users, i.identityMap);
  return { matches, users: people.users, ...(people.problem ? { problem: people.problem } : {}) };
}

const who = (u: DirectoryUser): string => (u.displayName === u.uniqueName ? u.uniqueName : `${u.displayName} (${u.uniqueName})`);

function status(m: PersonMatch): string {
  switch (m.how) {
    case 'name': return `→ ${who(m.user!)}, same name`;
    case 'email': return `→ ${who(m.user!)}, same e-mail address`;
    case 'manual': return `→ ${who(m.user!)}, chosen here`;
    case 'unassigned': return 'Left unassigned, chosen here.';
    case 'ambiguous': return `${m.candidates} Azure DevOps users have this name, so none was picked. Pick the right one.`;
    case 'none': return 'No Azure DevOps user has this name or e-mail address. Pick one, or leave the tasks unassigned.';
  }
}

/** Unmatched first (they need someone), then choices made here, then automatic matches. */
const ORDER: Record<PersonMatch['how'], number> = { none: 0, ambiguous: 0, manual: 1, unassigned: 1, name: 2, email: 2 };

export function peopleCard(tenantId: string, i: IntegrationDocument, view: PeopleView, canEdit: boolean, notice = ''): AdaptiveCardJson {
  const users: DirectoryUser[] = [];
  let listBytes = 200;
  for (const u of view.users.slice(0, MAX_USERS)) {
    listBytes += 2 * JSON.stringify(u).length;
    if (listBytes > CHOICE_BUDGET) break;
    users.push(u);
  }
  const userChoices: Choice[] = users.map((u) => ({ title: who(u), value: u.uniqueName }));
  const inputRows = Math.max(1, Math.min(15, Math.floor(CHOICE_BUDGET / listBytes)));
  const sorted = [...view.matches].sort((a, b) => ORDER[a.how] - ORDER[b.how] || a.resource.localeCompare(b.resource)).slice(0, MAX_ROWS);
  const editable: string[] = [];
  const rows: PeopleRow[] = sorted.map((m) => {
    const wantsInput = canEdit && !['name', 'email'].includes(m.how) && editable.length < inputRows;
    const n = wantsInput ? editable.push(m.resource) - 1 : -1;
    const chosenHere = m.how === 'manual' || m.how === 'unassigned';
    const current = m.how === 'manual' ? m.user!.uniqueName : m.how === 'unassigned' ? UNASSIGNED : '';
    const choices: Choice[] = wantsInput ? [
      ...(chosenHere ? [{ title: '(match automatically)', value: AUTOMATIC }] : []),
      ...userChoices,
      // A choice saved earlier for someone no longer on a team stays selectable.
      ...(m.how === 'manual' && !users.some((u) => u.uniqueName.toLowerCase() === current.toLowerCase()) ? [{ title: who(m.user!), value: current }] : []),
      { title: '(leave unassigned)', value: UNASSIGNED },
    ] : [];
    return { resource: m.resource, status: status(m), hasInput: wantsInput, inputId: `p_${Math.max(n, 0)}`, value: current, choices };
  });
  const notes = [
    view.matches.length === 0 ? 'No task in the plan has a resource yet, so there is no one to match.' : '',
    view.matches.length > MAX_ROWS ? `Showing ${MAX_ROWS} of ${view.matches.length} resources.` : '',
    users.length < view.users.length ? `Only the first ${users.length} of ${view.users.length} Azure DevOps users are offered.` : '',
    canEdit && sorted.filter((m) => !['name', 'email'].includes(m.how)).length > editable.length ? 'Save these, then open People again for the rest.' : '',
    canEdit ? '' : `Read-only: only approvers can choose (${approverNames(i)}).`,
  ].filter(Boolean);
  const ids = { integrationId: i.id };
  return renderCard('people', {
    title: `People: ${i.name}`,
    subtitle: 'Plan resources and who they are in Azure DevOps, for Assigned To. Matches by name or e-mail address are made on every preview; choices saved here win.',
    notice,
    problem: view.problem ? `Could not read the Azure DevOps users, so only choices saved here are shown: ${view.problem}` : '',
    rows,
    note: notes.join(' '),
    buttons: [
      ...(editable.length > 0 ? [button(tenantId, 'Save', 'people.save', { ...ids, rows: editable }, 'positive')] : []),
      button(tenantId, 'Preview sync now', 'sync.preview', ids),
      button(tenantId, 'Back to integration', 'integration.show', ids),
    ],
  });
}

export async function showPeople(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>): Promise<ActionReply> {
  return { card: peopleCard(turn.tenantId, i, await readPeople(s, i), isApprover(i, turn.user)) };
}

/** Reads the resource names the Save button carried (card data is untrusted: bounded and typed). */
function rowsOf(data: Record<string, unknown>): string[] {
  const raw = data.rows;
  if (!Array.isArray(raw)) return [];
  return raw.slice(0, MAX_ROWS).map((r) => (typeof r === 'string' ? r.trim().slice(0, 200) : ''));
}

export async function savePeople(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>, action: CardAction): Promise<ActionReply> {
  const rows = rowsOf(action.data);
  if (rows.length === 0 || rows.some((r) => r === '')) return { message: 'This card does not say which resources it is for, so nothing was saved. Open People again.' };
  const ado = await s.store.connections.get(i.tenantId, i.adoConnectionId);
  if (!ado) throw new FlowProblem('The Azure DevOps connection of this integration was removed. Connect again, then link the project again.');
  const directory = await s.systems.ado(ado);
  const { users, problem } = await readAssignableUsers(s, directory, i);
  const known = new Map(users.map((u) => [u.uniqueName.toLowerCase(), u.uniqueName]));
  const changes = new Map<string, string | null>();
  for (const [n, resource] of rows.entries()) {
    const picked = text(action.data, `p_${n}`, 300);
    if (picked === undefined) continue;
    if (picked === AUTOMATIC) changes.set(resource, null);
    else if (picked === UNASSIGNED) changes.set(resource, '');
    else if (known.has(picked.toLowerCase())) changes.set(resource, known.get(picked.toLowerCase())!);
    else if (i.identityMap && Object.values(i.identityMap).some((v) => v.toLowerCase() === picked.toLowerCase())) changes.set(resource, picked);
    else return { message: problem ? `Nothing was saved: ${problem}` : `Nothing was saved: ${picked.slice(0, 80)} is not a member of any team of ${i.adoProjects.join(', ')}. Open People again to see who is.` };
  }
  const updated = await s.store.integrations.update(turn.tenantId, i.id, (current) => {
    const next: Record<string, string> = { ...(current.identityMap ?? {}) };
    for (const [resource, value] of changes) {
      // One entry per person however the name was spelt.
      for (const key of Object.keys(next)) if (normalizeName(key) === normalizeName(resource)) delete next[key];
      if (value !== null) next[resource] = value;
    }
    if (Object.keys(next).length > MAX_OVERRIDES) throw new FlowProblem(`An integration keeps at most ${MAX_OVERRIDES} choices of people; clear some first.`);
    return { identityMap: next };
  });
  s.logger.info({ tenant: turn.tenantId, integration: i.id, changed: changes.size }, 'people matches saved');
  const notice = changes.size === 0 ? 'Nothing was changed.' : 'Saved. The next preview uses these choices.';
  return { card: peopleCard(turn.tenantId, updated, await readPeople(s, updated), true, notice) };
}
