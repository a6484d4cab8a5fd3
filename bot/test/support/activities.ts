import { randomUUID } from 'node:crypto';

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const OTHER_TENANT = '22222222-2222-4222-8222-222222222222';
export const BOT_ID = '28:planbridge-bot';

export interface ActivityOptions {
  serviceUrl: string;
  conversationId?: string;
  conversationType?: 'personal' | 'groupChat' | 'channel';
  tenantId?: string;
  fromId?: string;
}

/** Teams-shaped activities as the Agents Playground and Teams send them. */
function base(type: string, o: ActivityOptions): Record<string, unknown> {
  const tenantId = o.tenantId ?? TENANT;
  return {
    type,
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    from: { id: o.fromId ?? '29:user-ada', name: 'Ada Lovelace', aadObjectId: '00000000-0000-4000-8000-0000000000a1' },
    recipient: { id: BOT_ID, name: 'PlanBridge' },
    conversation: { id: o.conversationId ?? `a:personal-${randomUUID()}`, conversationType: o.conversationType ?? 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
    locale: 'en-US',
  };
}

export function messageActivity(text: string, o: ActivityOptions): Record<string, unknown> {
  return { ...base('message', o), text, textFormat: 'plain' };
}

export function installActivity(o: ActivityOptions, action: 'add' | 'remove' = 'add'): Record<string, unknown> {
  return { ...base('installationUpdate', o), action };
}

export interface InvokeOptions extends ActivityOptions {
  /** The message holding the card (Teams sends it as replyToId). */
  replyToId?: string;
  trigger?: 'manual' | 'automatic';
  fromName?: string;
  aadObjectId?: string;
}

/** An Action.Execute invoke (`adaptiveCard/action`), as Teams sends it for Universal Actions. */
export function cardActionActivity(verb: string, data: Record<string, unknown>, o: InvokeOptions): Record<string, unknown> {
  const b = base('invoke', o);
  return {
    ...b,
    name: 'adaptiveCard/action',
    ...(o.fromName || o.aadObjectId ? { from: { id: o.fromId ?? '29:user-ada', name: o.fromName ?? 'Ada Lovelace', aadObjectId: o.aadObjectId ?? '00000000-0000-4000-8000-0000000000a1' } } : {}),
    ...(o.replyToId ? { replyToId: o.replyToId } : {}),
    value: { action: { type: 'Action.Execute', verb, data }, trigger: o.trigger ?? 'manual' },
  };
}
