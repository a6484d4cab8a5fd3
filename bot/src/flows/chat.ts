/**
 * What a flow may do in a conversation. The Teams layer implements it over the SDK; flows never
 * see an activity, so they can be reused by scheduled jobs and tested without HTTP.
 */
export type AdaptiveCardJson = Record<string, unknown>;

export interface OutgoingMessage {
  text?: string;
  card?: AdaptiveCardJson;
}

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

export interface ChatUser {
  id: string;
  name?: string;
  aadObjectId?: string;
}

export interface ChatTurn {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly conversationKind: ConversationKind;
  readonly user: ChatUser;
  /** Sends a new message; returns its activity id so it can be updated in place later. */
  send(message: OutgoingMessage): Promise<string | undefined>;
  update(activityId: string, message: OutgoingMessage): Promise<void>;
}
