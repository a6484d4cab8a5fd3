/**
 * Finding the personal (1:1) chat the bot has with someone, to tell them things that concern only
 * them (an expiring PAT they set up, schedules paused by an uninstall). References are stored at
 * install and on each message, so the bot can reach people who have talked to it personally.
 */
import type { ConversationDocument, Stored } from '../store/index.js';
import type { FlowServices } from './services.js';

/** `who` is an AAD object id or a Teams user id (how integrations and connections record their creator). */
export async function personalChatOf(s: FlowServices, tenantId: string, who: string | undefined): Promise<Stored<ConversationDocument> | undefined> {
  if (!who) return undefined;
  let continuation: string | undefined;
  do {
    const page = await s.store.conversations.list(tenantId, { pageSize: 200, ...(continuation ? { continuation } : {}) });
    const hit = page.items.find((c) => c.conversationType === 'personal' && isUser(c, who));
    if (hit) return hit;
    continuation = page.continuation;
  } while (continuation);
  return undefined;
}

function isUser(c: ConversationDocument, who: string): boolean {
  const user = (c.reference as { user?: { id?: string; aadObjectId?: string } }).user;
  return user !== undefined && (user.aadObjectId === who || user.id === who);
}
