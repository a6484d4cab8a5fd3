/**
 * Who may do what with a connection. Its owner (who made it) and tenant admins manage it: rename,
 * replace the secret, share, remove. The owner and the people it is shared with use it: link it,
 * preview with it, create fields with it. Admins manage without using: an admin who needs to use
 * someone's credential has to share it with themselves, which the sharing line then shows.
 * Every sentence here names who may act, so a refusal tells the user whom to ask.
 */
import { connectionOwner, connectionSharing, type ConnectionDocument, type ConnectionPerson } from '../store/index.js';
import type { ChatUser, ConversationKind } from './chat.js';
import type { FlowServices } from './services.js';

/** The person acting and where: "everyone in the chat" is decided by the conversation. */
export interface Caller {
  user: ChatUser;
  conversationId: string;
}

/** Same person: by Entra object id when both sides have one (Teams ids differ per bot), else by Teams id. */
export function samePerson(p: ConnectionPerson, user: ChatUser): boolean {
  return p.aadObjectId && user.aadObjectId ? p.aadObjectId.toLowerCase() === user.aadObjectId.toLowerCase() : p.id === user.id;
}

/** A channel's threads carry ";messageid=..." after the channel id; the channel is what is shared. */
export const conversationBase = (conversationId: string): string => conversationId.split(';')[0]!;

export function isTenantAdmin(s: Pick<FlowServices, 'tenantAdmins'>, user: ChatUser): boolean {
  return user.aadObjectId !== undefined && (s.tenantAdmins?.has(user.aadObjectId.toLowerCase()) ?? false);
}

export function isOwner(c: ConnectionDocument, user: ChatUser): boolean {
  const owner = connectionOwner(c);
  return owner !== undefined && samePerson(owner, user);
}

export function canManage(s: Pick<FlowServices, 'tenantAdmins'>, c: ConnectionDocument, user: ChatUser): boolean {
  return isOwner(c, user) || isTenantAdmin(s, user);
}

export function canUse(c: ConnectionDocument, caller: Caller): boolean {
  if (isOwner(c, caller.user)) return true;
  const sharing = connectionSharing(c);
  if (sharing.mode === 'people') return sharing.people.some((p) => samePerson(p, caller.user));
  if (sharing.mode === 'conversation') return conversationBase(caller.conversationId) === conversationBase(sharing.conversationId);
  return false;
}

/** Checking health (check again, verify fields) changes nothing, so admins may too. */
export function canCheck(s: Pick<FlowServices, 'tenantAdmins'>, c: ConnectionDocument, caller: Caller): boolean {
  return canUse(c, caller) || isTenantAdmin(s, caller.user);
}

export function ownerName(c: ConnectionDocument): string {
  const owner = connectionOwner(c);
  if (!owner) return 'nobody (made before PlanBridge recorded owners)';
  return owner.name ?? 'the person who made it';
}

const WHERE: Record<'groupChat' | 'channel', string> = { groupChat: 'the group chat', channel: 'the channel' };

/** "Only Ada Lovelace", "Ada Lovelace and Grace Hopper", "Ada Lovelace and everyone in the channel where it was shared". */
export function sharingLabel(c: ConnectionDocument): string {
  const owner = ownerName(c);
  const sharing = connectionSharing(c);
  if (!connectionOwner(c) && sharing.mode === 'owner') return 'Nobody yet (a tenant admin can share it)';
  if (sharing.mode === 'people') {
    const names = sharing.people.map((p) => p.name ?? 'an unnamed user');
    return names.length > 0 ? `${owner} and ${names.join(', ')}` : `Only ${owner}`;
  }
  if (sharing.mode === 'conversation') return `${owner} and everyone in ${WHERE[sharing.conversationKind]} where it was shared`;
  return `Only ${owner}`;
}

/** Who may manage: names the owner, so the user knows whom to ask. */
export function managersText(c: ConnectionDocument): string {
  return connectionOwner(c) ? `${ownerName(c)} (its owner) or a PlanBridge tenant admin` : 'a PlanBridge tenant admin (it has no recorded owner)';
}

export function manageRefusal(c: ConnectionDocument): string {
  return `Only ${managersText(c)} can change, share or remove "${c.name}".`;
}

export function useRefusal(c: ConnectionDocument): string {
  const sharing = connectionSharing(c);
  const there = sharing.mode === 'conversation' ? ` If you are in ${WHERE[sharing.conversationKind]} where it was shared, do this from there.` : '';
  const ask = connectionOwner(c) ? `Ask ${ownerName(c)} to share it with you (type "connections", then "Sharing").` : 'Ask a PlanBridge tenant admin to share it with you.';
  return `You cannot use "${c.name}": it is shared with ${sharingLabel(c).replace(/^Only /, 'only ').replace(/^Nobody yet.*/, 'nobody yet')}.${there} ${ask}`;
}

export function checkRefusal(c: ConnectionDocument): string {
  return `Only the people "${c.name}" is shared with (${sharingLabel(c)}) or a PlanBridge tenant admin can check it.`;
}

/** The person to record as owner or in a sharing list. */
export function personOf(user: ChatUser): ConnectionPerson {
  return { id: user.id, ...(user.aadObjectId ? { aadObjectId: user.aadObjectId } : {}), ...(user.name ? { name: user.name } : {}) };
}

/** What a new connection records about who made it and where: owner, "only me", and its origin. */
export function ownership(turn: { user: ChatUser; conversationId: string; conversationKind: ConversationKind }) {
  return {
    createdBy: turn.user.aadObjectId ?? turn.user.id,
    owner: personOf(turn.user),
    sharing: { mode: 'owner' as const },
    origin: { conversationId: conversationBase(turn.conversationId), conversationKind: turn.conversationKind },
  };
}
