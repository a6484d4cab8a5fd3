import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdoConnectorError } from '../../../src/connectors/ado/errors.js';
import { makeUser } from '../../../../sim/ado/identities.js';
import type { AdoSimulator } from '../../../../sim/ado/server.js';
import { connectorFor, MODES, startSim } from './harness.js';

/** Who can be assigned work: team members, read through the real client library against the simulator. */
describe.each(MODES)('ADO connector: assignable users (%s)', (mode) => {
  let sim: AdoSimulator;
  beforeAll(async () => { sim = await startSim(mode); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => { sim.reset(); sim.clearRequests(); });

  it('lists the members of one team', async () => {
    const members = await connectorFor(sim).teamMembers('Phoenix', 'Web Team');
    expect(members.map((m) => [m.displayName, m.uniqueName])).toEqual([['Sam Lee', 'sam@contoso.com'], ['Chen Wu', 'chen.wu@contoso.com']]);
    expect(members[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists everyone on any team of the project once, sorted by name', async () => {
    const users = await connectorFor(sim).assignableUsers(['Phoenix', 'Phoenix']);
    expect(users.map((u) => u.displayName)).toEqual(['Bob Lee', 'Chen Wu', 'Dana Demo', 'Priya Patel', 'Sam Lee']);
    // One members call per team, through the team id the teams call returned.
    expect(sim.requests.filter((r) => r.method === 'GET' && /\/members/.test(r.path))).toHaveLength(3);
  });

  it('pages through a team with more than 100 members', async () => {
    const team = sim.state.projects.find((p) => p.name === 'Atlas')!.teams[0]!;
    const many = Array.from({ length: 130 }, (_, n) => makeUser(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, `Person ${String(n).padStart(3, '0')}`, `p${n}@contoso.com`));
    sim.state.users.push(...many);
    team.members = many.map((u) => ({ userId: u.id, isTeamAdmin: false }));
    const users = await connectorFor(sim).assignableUsers(['Atlas']);
    expect(users).toHaveLength(130);
    expect(new Set(users.map((u) => u.uniqueName)).size).toBe(130);
  });

  it('names the project when it does not exist', async () => {
    const err = await connectorFor(sim).assignableUsers(['Nope']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdoConnectorError);
    expect((err as AdoConnectorError).message).toMatch(/no project "Nope"/);
  });

  it('names the missing scope when the PAT cannot read projects and teams', async () => {
    sim.addPat('work-only', ['vso.work']);
    const err = await connectorFor(sim, 'work-only').assignableUsers(['Phoenix']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdoConnectorError);
    expect((err as AdoConnectorError).code).toBe('missing-scope');
    expect((err as AdoConnectorError).message).toMatch(/Project and Team: Read/);
  });
});
