import type { App } from '@microsoft/teams.apps';
import type { ConversationReference } from '@microsoft/teams.api';
import type { OutgoingMessage } from '../flows/chat.js';
import type { ConversationRepository } from '../store/index.js';
import { toActivity } from './turn.js';

/**
 * Messages nobody asked for in this turn (sign-in results, scheduled run reports). Each goes to
 * the service URL of the conversation's own stored reference, because Teams serves regions from
 * different URLs and `app.send` only knows one.
 */
export interface ProactiveMessenger {
  /** Sends to a stored conversation: the new activity's id, or undefined when the bot has no reference for it (never installed there, or removed). */
  send(tenantId: string, conversationId: string, message: OutgoingMessage): Promise<string | undefined>;
  /** Sends with a reference the caller kept (e.g. one captured when a sign-in started). */
  sendTo(reference: Pick<ConversationReference, 'serviceUrl' | 'conversation'>, message: OutgoingMessage): Promise<string>;
}

export function createProactiveMessenger(app: App, conversations: ConversationRepository): ProactiveMessenger {
  const sendTo: ProactiveMessenger['sendTo'] = async (reference, message) => {
    if (!reference.serviceUrl || !reference.conversation?.id) throw new Error('conversation reference without service URL or conversation id');
    const api = app.api.clone({ serviceUrl: reference.serviceUrl });
    const sent = await api.conversations.activities(reference.conversation.id).create(toActivity(message));
    return sent.id;
  };
  return {
    sendTo,
    async send(tenantId, conversationId, message) {
      const stored = await conversations.get(tenantId, conversationId);
      return stored ? sendTo(stored.reference, message) : undefined;
    },
  };
}
