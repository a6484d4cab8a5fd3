/**
 * Journey: who may use a connection. The owner (or a tenant admin) picks only the owner, named
 * people, or everyone in a group chat or channel. Named people are chosen from the people
 * PlanBridge has met in this tenant (stored conversations, approvers, people named before), so
 * every entry carries a real Teams id and object id rather than a typed name.
 */
import type { Choice } from '../cards/card-data.js';
import { renderCard } from '../cards/render.js';
import { connectionSharing, type ConnectionDocument, type ConnectionPerson, type ConnectionSharing, type Stored } from '../store/index.js';
import { text, type ActionReply, type ActionTurn, type CardAction } from './actions.js';
import { button } from './card-kit.js';
import type { AdaptiveCardJson } from './chat.js';
import { conversationBase, isOwner, ownerName, sharingLabel } from './connection-access.js';
import { connectionsCard } from './connections.js';
import type { FlowServices } from './services.js';
import { systemName } from './plan-systems.js';

const personKey = (p: ConnectionPerson): string => (p.aadObjectId ? `aad:${p.aadObjectId.toLowerCase()}` : `id:${p.id}`);

/** People PlanBridge has met in this tenant, without the owner. */
async function knownPeople(s: FlowServices, c: ConnectionDocument): Promise<ConnectionPerson[]> {
  const found = new Map<string, ConnectionPerson>();
  const add = (p: Partial<ConnectionPerson> | undefined) => {
    if (!p || typeof p.id !== 'string' || !p.id) return;
    const person: ConnectionPerson = { id: p.id, ...(typeof p.aadObjectId === 'string' && p.aadObjectId ? { aadObjectId: p.aadObjectId } : {}), ...(typeof p.name === 'string' && p.name ? { name: p.name } : {}) };
    if (isOwner(c, person)) return;
    const key = personKey(person);
    found.set(key, { ...found.get(key), ...person });
  };
  const sharing = connectionSharing(c);
  if (sharing.mode === 'people') sharing.people.forEach(add);
  const conversations = await s.store.conversations.list(c.tenantId, { pageSize: 500 });
  for (const conv of conversations.items) add((conv.reference as { user?: Partial<ConnectionPerson> }).user);
  const integrations = await s.store.integrations.list(c.tenantId, { pageSize: 500 });
  for (const i of integrations.items) (i.approvers ?? []).forEach(add);
  return [...found.values()].sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id));
}

/** The group chat or channel "everyone in" points at: this one when it is not a personal chat, else where the connection was made. */
function conversationTarget(c: ConnectionDocument, turn: Pick<ActionTurn, 'conversationId' | 'conversationKind'>): { conversationId: string; conversationKind: 'groupChat' | 'channel'; label: string } | undefined {
  if (turn.conversationKind !== 'personal') return { conversationId: conversationBase(turn.conversationId), conversationKind: turn.conversationKind, label: `Everyone in this ${turn.conversationKind === 'channel' ? 'channel' : 'group chat'}` };
  const origin = c.origin?.conversationKind === 'groupChat' || c.origin?.conversationKind === 'channel' ? { conversationId: c.origin.conversationId, conversationKind: c.origin.conversationKind } : undefined;
  if (origin) return { ...origin, label: `Everyone in the ${origin.conversationKind === 'channel' ? 'channel' : 'group chat'} where it was made` };
  const now = connectionSharing(c);
  if (now.mode === 'conversation') return { conversationId: now.conversationId, conversationKind: now.conversationKind, label: `Everyone in the ${now.conversationKind === 'channel' ? 'channel' : 'group chat'} it is shared with now` };
  return undefined;
}

export async function sharingCard(s: FlowServices, turn: ActionTurn, c: Stored<ConnectionDocument>, problem = ''): Promise<AdaptiveCardJson> {
  const people = await knownPeople(s, c);
  const sharing = connectionSharing(c);
  const target = conversationTarget(c, turn);
  const modes: Choice[] = [
    { title: isOwner(c, turn.user) ? 'Only me (the owner)' : `Only the owner (${ownerName(c)})`, value: 'owner' },
    { title: 'Named people', value: 'people' },
    ...(target ? [{ title: target.label, value: 'conversation' }] : []),
  ];
  const system = systemName(c.kind);
  return renderCard('connection-sharing', {
    title: `Sharing: ${c.name}`,
    summary: `${problem ? `${problem} ` : ''}Owner: ${ownerName(c)}. Now used by: ${sharingLabel(c)}.`,
    modes, mode: sharing.mode === 'conversation' && !target ? 'owner' : sharing.mode,
    people: people.map((p) => ({ title: p.name ?? p.id, value: personKey(p) })),
    peopleValue: sharing.mode === 'people' ? sharing.people.map(personKey).join(',') : '',
    note: `Whoever it is shared with can link it to plans and preview syncs with it, and what they apply reaches ${system} as the owner's credential. Only the owner or a tenant admin can change this.${target ? '' : ' To share it with a whole group chat or channel, open this card there.'} The list shows people who have talked to PlanBridge${people.length === 0 ? '; nobody else has yet' : ''}.`,
    save: button(turn.tenantId, 'Save sharing', 'conn.share', { connectionId: c.id }, 'positive'),
    back: button(turn.tenantId, 'Back to connections', 'conn.list'),
  });
}

export async function showSharing(s: FlowServices, turn: ActionTurn, c: Stored<ConnectionDocument>): Promise<ActionReply> {
  return { card: await sharingCard(s, turn, c) };
}

/** The action guard let only the owner or a tenant admin through. */
export async function saveSharing(s: FlowServices, turn: ActionTurn, c: Stored<ConnectionDocument>, action: CardAction): Promise<ActionReply> {
  const mode = text(action.data, 'mode', 20);
  let sharing: ConnectionSharing;
  if (mode === 'owner') sharing = { mode: 'owner' };
  else if (mode === 'people') {
    const wanted = new Set((text(action.data, 'people', 4000) ?? '').split(',').map((x) => x.trim()).filter(Boolean));
    const people = (await knownPeople(s, c)).filter((p) => wanted.has(personKey(p)));
    if (people.length === 0) return { card: await sharingCard(s, turn, c, 'Pick at least one person to share it with.') };
    sharing = { mode: 'people', people };
  } else if (mode === 'conversation') {
    const target = conversationTarget(c, turn);
    if (!target) return { card: await sharingCard(s, turn, c, 'There is no group chat or channel to share it with from here: open this card in that chat.') };
    sharing = { mode: 'conversation', conversationId: target.conversationId, conversationKind: target.conversationKind };
  } else return { card: await sharingCard(s, turn, c, 'Pick who may use it.') };
  const saved = await s.store.connections.update(turn.tenantId, c.id, () => ({ sharing }));
  s.logger.info({
    tenant: turn.tenantId, connection: c.id, sharing: sharing.mode, people: sharing.mode === 'people' ? sharing.people.length : undefined,
    by: turn.user.aadObjectId ?? turn.user.id, asAdmin: !isOwner(c, turn.user),
  }, 'connection sharing changed');
  return { card: await connectionsCard(s, turn.tenantId, `"${saved.name}" is now used by: ${sharingLabel(saved)}.`) };
}
