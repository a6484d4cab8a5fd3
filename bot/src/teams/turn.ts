import type { IActivityContext } from '@microsoft/teams.apps';
import type { Activity } from '@microsoft/teams.api';
import type { ActionTurn } from '../flows/actions.js';
import type { ChatTurn, ConversationKind, OutgoingMessage } from '../flows/chat.js';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** Adapts an SDK turn context to the flows' ChatTurn port. */
export function chatTurnFrom(ctx: IActivityContext<Activity>): ChatTurn {
  const activity = ctx.activity;
  return {
    tenantId: tenantOf(activity) ?? 'unknown-tenant',
    conversationId: activity.conversation.id,
    conversationKind: kindOf(activity.conversation.conversationType),
    user: { id: activity.from.id, name: activity.from.name, aadObjectId: activity.from.aadObjectId },
    async send(message) {
      const sent = await ctx.send(toActivity(message));
      return sent.id;
    },
    async update(activityId, message) {
      await ctx.api.conversations.activities(activity.conversation.id).update(activityId, toActivity(message));
    },
  };
}

/** A card action's turn: the chat turn plus the id of the message that holds the card. */
export function actionTurnFrom(ctx: IActivityContext<Activity>): ActionTurn {
  // Added to the chat turn, not spread into a copy of it: every card action builds one.
  const replyToId = ctx.activity.replyToId;
  return Object.assign(chatTurnFrom(ctx), { conversationRef: { ...ctx.ref } }, replyToId ? { cardActivityId: replyToId } : {});
}

function kindOf(type: string | undefined): ConversationKind {
  return type === 'groupChat' ? 'groupChat' : type === 'channel' ? 'channel' : 'personal';
}

export function toActivity(message: OutgoingMessage) {
  return {
    type: 'message' as const,
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.card ? { attachments: [{ contentType: ADAPTIVE_CARD, content: message.card }] } : {}),
  };
}

export function tenantOf(activity: Activity): string | undefined {
  const channelTenant = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  return activity.conversation.tenantId ?? channelTenant;
}
