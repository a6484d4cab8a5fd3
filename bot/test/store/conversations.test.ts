import type { ConversationReference } from '@microsoft/teams.api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, tenant, type TestStore } from './support.js';

const reference = (tenantId: string, conversationId: string, extra: Partial<ConversationReference> = {}): ConversationReference => ({
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  channelId: 'msteams',
  bot: { id: '28:bot', name: 'PlanBridge', role: 'bot' },
  conversation: { id: conversationId, tenantId, conversationType: 'personal', isGroup: false },
  user: { id: '29:user', name: 'Ada', role: 'user' },
  locale: 'en-US',
  ...extra,
});

describe('conversation references (contract)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('saves a reference and reads it back by conversation id', async () => {
    const tenantId = tenant();
    const conversationId = 'a:1Xyz_personal;messageid=123';
    await t.store.conversations.save(tenantId, reference(tenantId, conversationId));
    const found = await t.store.conversations.get(tenantId, conversationId);
    expect(found?.reference).toEqual(reference(tenantId, conversationId));
    expect(found?.conversationId).toBe(conversationId);
    expect(found?.tenantId).toBe(tenantId);
    expect(found?.schemaVersion).toBe(1);
  });

  it('keeps ids with characters Cosmos forbids (/ \\ ? #) apart and readable', async () => {
    const tenantId = tenant();
    const ids = ['19:a/b@thread.tacv2', '19:a\\b@thread.tacv2', '19:a?b@thread.tacv2', '19:a#b@thread.tacv2', '19:a~2Fb@thread.tacv2'];
    for (const id of ids) await t.store.conversations.save(tenantId, reference(tenantId, id, { locale: id }));
    for (const id of ids) expect((await t.store.conversations.get(tenantId, id))?.reference.locale).toBe(id);
  });

  it('creates a reference the caller never saw outright, and one that exists after all is compared as usual', async () => {
    const tenantId = tenant();
    await t.store.conversations.save(tenantId, reference(tenantId, 'new-chat'), { likelyNew: true });
    const created = await t.store.conversations.get(tenantId, 'new-chat');
    expect(created?.reference).toEqual(reference(tenantId, 'new-chat'));
    // Another instance (or this one before a restart) stored it: the same reference is left as it is...
    await t.store.conversations.save(tenantId, reference(tenantId, 'new-chat'), { likelyNew: true });
    expect((await t.store.conversations.get(tenantId, 'new-chat'))?.etag).toBe(created?.etag);
    // ...and a changed one replaces it.
    await t.store.conversations.save(tenantId, reference(tenantId, 'new-chat', { locale: 'fr-FR' }), { likelyNew: true });
    const replaced = await t.store.conversations.get(tenantId, 'new-chat');
    expect(replaced?.reference.locale).toBe('fr-FR');
    expect(replaced?.etag).not.toBe(created?.etag);
  });

  it('refreshes a changed reference and leaves an unchanged one untouched', async () => {
    const tenantId = tenant();
    await t.store.conversations.save(tenantId, reference(tenantId, 'c1'));
    const first = await t.store.conversations.get(tenantId, 'c1');
    await t.store.conversations.save(tenantId, reference(tenantId, 'c1'));
    expect((await t.store.conversations.get(tenantId, 'c1'))?.etag).toBe(first?.etag);
    await t.store.conversations.save(tenantId, reference(tenantId, 'c1', { serviceUrl: 'https://smba.trafficmanager.net/amer/' }));
    const after = await t.store.conversations.get(tenantId, 'c1');
    expect(after?.reference.serviceUrl).toBe('https://smba.trafficmanager.net/amer/');
    expect(after?.etag).not.toBe(first?.etag);
  });

  it('does not rewrite a reference whose only change is the activity id of the turn', async () => {
    const tenantId = tenant();
    await t.store.conversations.save(tenantId, reference(tenantId, 'turns', { activityId: 'first' }));
    const first = await t.store.conversations.get(tenantId, 'turns');
    await t.store.conversations.save(tenantId, reference(tenantId, 'turns', { activityId: 'second' }));
    expect((await t.store.conversations.get(tenantId, 'turns'))?.etag).toBe(first?.etag);
  });

  it('removes a conversation on uninstall, and removing twice is fine', async () => {
    const tenantId = tenant();
    await t.store.conversations.save(tenantId, reference(tenantId, 'gone'));
    await t.store.conversations.remove(tenantId, 'gone');
    await t.store.conversations.remove(tenantId, 'gone');
    expect(await t.store.conversations.get(tenantId, 'gone')).toBeUndefined();
  });

  it('lists a tenant\'s conversations in pages with a continuation token', async () => {
    const tenantId = tenant();
    const ids = Array.from({ length: 7 }, (_, i) => `conv-${i}`);
    for (const id of ids) await t.store.conversations.save(tenantId, reference(tenantId, id));
    const seen: string[] = [];
    let continuation: string | undefined;
    let pages = 0;
    do {
      const page = await t.store.conversations.list(tenantId, { pageSize: 3, continuation });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((c) => c.conversationId));
      continuation = page.continuation;
      pages++;
    } while (continuation && pages < 10);
    expect(seen.sort()).toEqual(ids);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('never shows one tenant another tenant\'s conversations', async () => {
    const owner = tenant('owner');
    const other = tenant('other');
    await t.store.conversations.save(owner, reference(owner, 'private-chat'));
    expect(await t.store.conversations.get(other, 'private-chat')).toBeUndefined();
    expect((await t.store.conversations.list(other)).items).toEqual([]);
    await t.store.conversations.remove(other, 'private-chat');
    expect(await t.store.conversations.get(owner, 'private-chat')).toBeDefined();
  });

  it('answers ping while open', async () => {
    expect(await t.store.ping()).toBe(true);
  });
});
