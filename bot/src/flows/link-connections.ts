/**
 * Which connections a person may link: those they own first, then those shared with them, each by
 * name. The link card preselects one of each kind (a requested one when allowed, else their own)
 * and lets them switch among the rest; connections not shared with them are only named, with whom
 * to ask.
 */
import type { Choice } from '../cards/card-data.js';
import type { ConnectionDocument, ConnectionKind, Stored } from '../store/index.js';
import { canUse, isOwner, ownerName, type Caller } from './connection-access.js';
import { isPlanConnection, systemName } from './plan-systems.js';
import type { FlowServices } from './services.js';

export interface LinkableConnections {
  usable: Stored<ConnectionDocument>[];
  /** In the tenant but not shared with the caller. */
  others: Stored<ConnectionDocument>[];
}

export async function linkableConnections(s: FlowServices, tenantId: string, caller: Caller): Promise<LinkableConnections> {
  const all = await s.store.connections.list(tenantId);
  const mine = all.filter((c) => isOwner(c, caller.user));
  const shared = all.filter((c) => !isOwner(c, caller.user) && canUse(c, caller));
  return { usable: [...mine, ...shared], others: all.filter((c) => !canUse(c, caller)) };
}

/** A connection kind, or 'plan' for any plan system (Project Web App or Planner premium). */
export type KindWanted = ConnectionKind | 'plan';

const ofKind = (kind: KindWanted) => (c: ConnectionDocument): boolean => (kind === 'plan' ? isPlanConnection(c) : c.kind === kind);

/** The requested connection when the caller may use it, else their first own, else the first shared. */
export function chooseConnection(found: LinkableConnections, kind: KindWanted, requestedId?: string): Stored<ConnectionDocument> | undefined {
  const usable = found.usable.filter(ofKind(kind));
  return usable.find((c) => c.id === requestedId) ?? usable[0];
}

/** Plan connections name their system, since one person may have both a PWA site and a Planner environment. */
export function connectionChoices(found: LinkableConnections, kind: KindWanted, caller: Caller): Choice[] {
  return found.usable.filter(ofKind(kind)).map((c) => {
    const whose = isOwner(c, caller.user) ? 'yours' : `shared by ${ownerName(c)}`;
    return { title: `${c.name} (${kind === 'plan' ? `${systemName(c.kind)}, ` : ''}${whose})`, value: c.id };
  });
}

/** "Contoso ADO (Ada Lovelace's)": what exists but cannot be used, so the user knows whom to ask. */
export function notSharedNote(found: LinkableConnections, kind: KindWanted): string {
  const others = found.others.filter(ofKind(kind));
  if (others.length === 0) return '';
  return `Not shared with you: ${others.map((c) => `${c.name} (${ownerName(c)}'s)`).join(', ')}. Ask its owner to share it with you, or connect your own.`;
}
