import { describe, expect, it } from 'vitest';
import { cardActionActivity, installActivity, messageActivity } from '../support/activities.js';
import { STACK_TRACE } from '../support/test-bot.js';
import { useLocalBot } from '../support/local-bot.js';

/**
 * Every activity field the SDK or our routes dereference, in a shape they cannot handle.
 * Each must get a 400 naming the problem, never a 500 from deep inside the SDK.
 */
describe('activity shapes on /api/messages', () => {
  const world = useLocalBot();

  const message = (patch: Record<string, unknown>) => ({ ...messageActivity('help', { serviceUrl: world.connector.url }), ...patch });
  const invoke = (name: string, value: unknown) => ({ ...cardActionActivity('noop', {}, { serviceUrl: world.connector.url }), name, value });
  const deep = (levels: number) => {
    let node: Record<string, unknown> = {};
    const root = node;
    for (let i = 0; i < levels; i++) node = (node.a = {}) as Record<string, unknown>;
    return root;
  };

  const malformed: Array<[string, () => unknown]> = [
    ['entities is an object', () => message({ entities: {} })],
    ['entities holds null', () => message({ entities: [null] })],
    ['a mention without "mentioned"', () => message({ text: '<at>PlanBridge</at> help', entities: [{ type: 'mention', text: '<at>PlanBridge</at>' }] })],
    ['a mention whose text is a number', () => message({ entities: [{ type: 'mention', text: 7, mentioned: { id: 'x' } }] })],
    ['a mention whose id is not a string', () => message({ entities: [{ type: 'mention', mentioned: { id: {} } }] })],
    ['attachments is a string', () => message({ attachments: 'file' })],
    ['attachments holds a number', () => message({ attachments: [1] })],
    ['fileConsent/invoke with value null', () => invoke('fileConsent/invoke', null)],
    ['composeExtension/submitAction with no value', () => invoke('composeExtension/submitAction', undefined)],
    ['message/submitAction with value null', () => invoke('message/submitAction', null)],
    ['adaptiveCard/action with value a string', () => invoke('adaptiveCard/action', 'approve')],
    ['signin/tokenExchange with a numeric connectionName', () => invoke('signin/tokenExchange', { connectionName: 7 })],
    ['an invoke without a name', () => invoke(undefined as unknown as string, {})],
    ['from.name is an object', () => message({ from: { id: '29:u', name: { first: 'A' } } })],
    ['from.aadObjectId is a number', () => message({ from: { id: '29:u', aadObjectId: 7 } })],
    ['conversation.tenantId is a number', () => message({ conversation: { id: 'a:c', tenantId: 7 } })],
    ['conversation.conversationType is an array', () => message({ conversation: { id: 'a:c', conversationType: ['personal'] } })],
    ['recipient without an id', () => message({ recipient: { name: 'PlanBridge' } })],
    ['channelData is a string', () => message({ channelData: 'x' })],
    ['channelData.tenant.id is an object', () => message({ channelData: { tenant: { id: {} } } })],
    ['channelData.eventType is a number', () => ({ ...message({}), type: 'conversationUpdate', channelData: { eventType: 1 } })],
    ['membersAdded is an object', () => ({ ...installActivity({ serviceUrl: world.connector.url }), type: 'conversationUpdate', membersAdded: {} })],
    ['membersRemoved holds a member without id', () => ({ ...installActivity({ serviceUrl: world.connector.url }), type: 'conversationUpdate', membersRemoved: [{ name: 'x' }] })],
    ['installationUpdate action is a number', () => ({ ...installActivity({ serviceUrl: world.connector.url }), action: 1 })],
    ['conversation.id with path syntax', () => message({ conversation: { id: 'a:c/../../v3/conversations/other' } })],
    ['replyToId with a query', () => message({ replyToId: '1?x=y' })],
    ['id is a number', () => message({ id: 42 })],
    ['replyToId is an object', () => message({ replyToId: {} })],
    ['locale is a number', () => message({ locale: 1 })],
    ['nested 200 levels deep', () => message({ value: deep(200) })],
  ];

  it.each(malformed)('%s gets a 400 naming the problem', async (_name, body) => {
    const res = await world.bot.post(body());
    expect(res.status, res.body).toBe(400);
    expect(res.body).not.toMatch(STACK_TRACE);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'BadActivity', message: expect.any(String) });
  });

  const wellFormed: Array<[string, () => unknown]> = [
    ['a message with a proper mention', () => message({ text: '<at>PlanBridge</at> help', entities: [{ type: 'mention', text: '<at>PlanBridge</at>', mentioned: { id: '28:planbridge-bot', name: 'PlanBridge' } }, { type: 'clientInfo', locale: 'en-US' }] })],
    ['a message with a file attachment', () => message({ attachments: [{ contentType: 'text/html', content: '<p>help</p>' }] })],
    ['a message with an Action.Submit value', () => message({ text: undefined, value: { anything: [1, 'two', null] } })],
    ['a conversationUpdate adding the bot', () => ({ ...installActivity({ serviceUrl: world.connector.url }), type: 'conversationUpdate', membersAdded: [{ id: '28:planbridge-bot' }], channelData: { eventType: 'teamMemberAdded', tenant: { id: 'x' } } })],
  ];

  it.each(wellFormed)('%s is accepted', async (_name, body) => {
    const res = await world.bot.post(body());
    expect(res.status, res.body).toBe(200);
  });

  it('the bot is still healthy', async () => {
    expect((await fetch(`${world.bot.bot.url}/healthz`)).status).toBe(200);
  });
});
