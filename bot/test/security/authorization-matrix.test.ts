import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ActionRefused } from '../../src/flows/actions.js';
import { guardAction } from '../../src/flows/action-guard.js';
import { KNOWN_VERBS, verbRule } from '../../src/flows/card-actions.js';
import { OTHER_TENANT } from '../support/activities.js';
import { connectBoth, linkWithDefaults } from '../flows/support.js';
import { ADA, GRACE, Journey, TENANT, actionsOf, type Person } from '../support/journey.js';

/**
 * Every card verb against every role, through the real guard with the real verb table
 * (card-actions.ts). Handlers do not run, so destructive verbs can be asked about freely; the
 * journeys (connection-ownership.test.ts and the flow tests) show the same refusals over HTTP.
 *
 * Roles: the owner (made both connections, approver of the integration), a shared user (both
 * connections shared with them by name, not an approver), another user of the tenant, a tenant
 * admin (PLANBRIDGE_TENANT_ADMINS, nothing else), and a user of another tenant.
 */
const HAL: Person = { id: '29:user-hal', name: 'Hal Jordan', aadObjectId: '00000000-0000-4000-8000-0000000000d4' };
const INA: Person = { id: '29:user-ina', name: 'Ina Admin', aadObjectId: '00000000-0000-4000-8000-0000000000c3' };
const OTTO: Person = { id: '29:user-otto', name: 'Otto Other', aadObjectId: '00000000-0000-4000-8000-0000000000e5' };

type Role = 'owner' | 'shared' | 'other' | 'admin';
/** 'ok' = the guard lets it through; otherwise the refusal reason it must give. */
type Outcome = 'ok' | 'not-connection-manager' | 'not-shared' | 'not-approver' | 'may-not-run';
type Row = Record<Role, Outcome>;

const everyone: Row = { owner: 'ok', shared: 'ok', other: 'ok', admin: 'ok' };
const manage: Row = { owner: 'ok', shared: 'not-connection-manager', other: 'not-connection-manager', admin: 'ok' };
const use: Row = { owner: 'ok', shared: 'ok', other: 'not-shared', admin: 'not-shared' };
const check: Row = { owner: 'ok', shared: 'ok', other: 'not-shared', admin: 'ok' };
const approvers: Row = { owner: 'ok', shared: 'not-approver', other: 'not-approver', admin: 'not-approver' };
const run: Row = { owner: 'ok', shared: 'ok', other: 'may-not-run', admin: 'may-not-run' };

const MATRIX: Record<string, Row> = {
  'connect.ado.start': everyone,
  'connect.pwa.start': everyone,
  'ado.connect': everyone,
  'pwa.connect': everyone,
  'connect.planner.start': everyone,
  'planner.connect': everyone,
  'pwa.fields.create': use,
  'pwa.fields.verify': check,
  'conn.list': everyone,
  'conn.recheck': check,
  'conn.rename': manage,
  'conn.secret': manage,
  'conn.signin': manage,
  'conn.sharing': manage,
  'conn.share': manage,
  'conn.remove': manage,
  'conn.remove.confirm': manage,
  'link.connections': use,
  'link.create': use,
  'integration.show': everyone,
  'mapping.show': everyone,
  'mapping.edit': approvers,
  'people.show': everyone,
  'people.save': approvers,
  'approver.request': everyone,
  'approver.grant': approvers,
  'sync.preview': run,
  'sync.view': everyone,
  'sync.page': everyone,
  'sync.approve': approvers,
  'sync.reject': approvers,
  'history.show': everyone,
  'schedule.show': everyone,
  'schedule.save': approvers,
  'schedule.policy': approvers,
  'schedule.pause': approvers,
  'schedule.resume': approvers,
  'schedule.retry': approvers,
  'schedule.fix': everyone,
  'connect.outlook.start': everyone,
  'outlook.connect': everyone,
  'outlook.link.create': use,
  'outlook.preview': run,
  'outlook.approve': approvers,
  'outlook.reject': approvers,
};

const PEOPLE: Record<Role, Person> = { owner: ADA, shared: GRACE, other: HAL, admin: INA };

describe('authorization matrix: every card verb against every role', () => {
  const j = new Journey();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await j.start();
    j.bot.bot.flows.tenantAdmins = loadConfig({ PLANBRIDGE_TENANT_ADMINS: INA.aadObjectId }).tenantAdmins;
    await connectBoth(j);
    const store = j.bot.bot.store;
    ids.ado = (await store.connections.list(TENANT, { kind: 'ado' }))[0]!.id;
    ids.pwa = (await store.connections.list(TENANT, { kind: 'pwa' }))[0]!.id;
    for (const id of [ids.ado, ids.pwa]) {
      await store.connections.update(TENANT, id, () => ({ sharing: { mode: 'people', people: [{ id: GRACE.id, aadObjectId: GRACE.aadObjectId, name: GRACE.name }] } }));
    }
    // An Outlook connection made by Ada and shared with Grace, like the others (outlook.link.create uses it).
    ids.outlook = (await store.connections.create(TENANT, {
      kind: 'outlook', name: 'Contoso Outlook', url: 'http://127.0.0.1:9/v1.0', auth: { type: 'oauth' }, secret: 'token', outlook: { access: 'delegated' },
      createdBy: ADA.aadObjectId, owner: { id: ADA.id, aadObjectId: ADA.aadObjectId, name: ADA.name },
      sharing: { mode: 'people', people: [{ id: GRACE.id, aadObjectId: GRACE.aadObjectId, name: GRACE.name }] },
    })).id;
    await linkWithDefaults(j);
    const { id } = await j.say('sync project Apollo to ADO');
    const preview = await j.waitForUpdate(id, (t) => /^Preview:/.test(t));
    const approve = actionsOf(preview).find((a) => a.verb === 'sync.approve')!.data;
    Object.assign(ids, { integration: String(approve.integrationId), run: String(approve.runId), hash: String(approve.hash) });
  });
  afterAll(() => j.stop());

  /** What a genuine card for this verb would send: every id and required field it could need. */
  function dataFor(verb: string, stamp = TENANT): Record<string, unknown> {
    return {
      t: stamp,
      connectionId: verb.startsWith('pwa.fields') ? ids.pwa : ids.ado,
      planConnectionId: ids.pwa, adoConnectionId: ids.ado, outlookConnectionId: ids.outlook, pickPlanConnection: ids.pwa, pickAdoConnection: ids.ado,
      integrationId: ids.integration, runId: ids.run, hash: ids.hash,
      op: 'reset', ruleId: '-', userId: HAL.id, spec: 'daily', approval: 'preview', mode: 'owner',
    };
  }

  async function outcome(verb: string, who: Person, tenantId = TENANT, stamp = TENANT): Promise<{ reason: string; message: string }> {
    try {
      await guardAction(j.bot.bot.flows, { tenantId, user: who, conversationId: j.conversationId }, { verb, data: dataFor(verb, stamp), trigger: 'manual' }, verbRule(verb)!);
      return { reason: 'ok', message: '' };
    } catch (err) {
      if (err instanceof ActionRefused) return { reason: err.reason, message: err.message };
      throw err;
    }
  }

  it('has a row for every verb on the allow-list, and no row for a verb that is not', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...KNOWN_VERBS].sort());
  });

  describe.each(Object.keys(MATRIX))('%s', (verb) => {
    it.each(Object.keys(PEOPLE) as Role[])('as the %s', async (role) => {
      const { reason, message } = await outcome(verb, PEOPLE[role]);
      expect(reason).toBe(MATRIX[verb]![role]);
      // Every refusal names who may do it: here the owner and approver, Ada.
      if (reason !== 'ok') expect(message).toContain('Ada Lovelace');
    });

    it('as a user of another tenant, with this tenant\'s card or their own', async () => {
      expect((await outcome(verb, OTTO, OTHER_TENANT, TENANT)).reason).toBe('cross-tenant');
      const rule = verbRule(verb)!;
      const own = (await outcome(verb, OTTO, OTHER_TENANT, OTHER_TENANT)).reason;
      const expected = rule.scope === 'connection' || rule.uses ? 'unknown-connection' : rule.scope === 'none' ? 'ok' : 'unknown-integration';
      expect(own).toBe(expected);
    });
  });

  it('an approver the connections are not shared with may change settings, but not run it until they are shared', async () => {
    const store = j.bot.bot.store;
    await store.integrations.update(TENANT, ids.integration!, (i) => ({ approvers: [...(i.approvers ?? []), { id: HAL.id, aadObjectId: HAL.aadObjectId, name: HAL.name }] }));
    for (const verb of ['sync.preview', 'sync.approve', 'schedule.retry']) {
      const refused = await outcome(verb, HAL);
      expect(refused.reason, verb).toBe('may-not-run');
      expect(refused.message).toMatch(/Running "Apollo ↔ Phoenix" uses its connections\. You cannot use "Contoso PWA": it is shared with Ada Lovelace and Grace Hopper\. Ask Ada Lovelace to share it with you/);
    }
    for (const verb of ['sync.reject', 'schedule.save', 'mapping.edit', 'approver.grant']) expect((await outcome(verb, HAL)).reason, verb).toBe('ok');
    for (const id of [ids.ado!, ids.pwa!]) {
      await store.connections.update(TENANT, id, (c) => ({ sharing: { mode: 'people', people: [...(c.sharing?.mode === 'people' ? c.sharing.people : []), { id: HAL.id, aadObjectId: HAL.aadObjectId }] } }));
    }
    for (const verb of ['sync.preview', 'sync.approve', 'schedule.retry']) expect((await outcome(verb, HAL)).reason, verb).toBe('ok');
    expect((await outcome('link.create', HAL)).reason).toBe('ok');
  });
});
