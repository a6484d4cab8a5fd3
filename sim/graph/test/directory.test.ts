import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRA_DEMO } from '../../entra/directory.js';
import { GRAPH_DEMO_CREDENTIALS, startGraphSimulator, type GraphSimulator } from '../server.js';
import { TestClient } from './client.js';

/** Directory reads PlanBridge uses to match plan resources to people: by mail, by name, by UPN. */
describe('Graph simulator: users', () => {
  let sim: GraphSimulator;
  let app: TestClient;
  let pm: TestClient;
  beforeAll(async () => {
    sim = await startGraphSimulator({ seed: 'empty' });
    app = new TestClient(sim, GRAPH_DEMO_CREDENTIALS.appBearerToken);
    pm = new TestClient(sim);
  });
  afterAll(async () => { await sim.close(); });

  const filter = (client: TestClient, f: string, extra = '') => client.get(`/users?$filter=${encodeURIComponent(f)}${extra}`);

  it('filters by mail (case-insensitive), startswith(displayName), userPrincipalName and in', async () => {
    const byMail = await filter(app, "mail eq 'Alice@Contoso.example'");
    expect(byMail.status).toBe(200);
    expect(byMail.body.value.map((u: any) => u.displayName)).toEqual(['Alice Kim']);
    expect(byMail.body['@odata.context']).toBe(`${sim.apiUrl}/$metadata#users`);
    expect((await filter(app, "startswith(displayName,'Bob Lee')")).body.value.map((u: any) => u.displayName)).toEqual(['Bob Lee', 'Bob Leeds']);
    expect((await filter(app, `userPrincipalName eq '${ENTRA_DEMO.user.username}'`)).body.value).toHaveLength(1);
    expect((await filter(app, "mail in ('bob@contoso.example','chen@contoso.example')")).body.value).toHaveLength(2);
    // Gus has no mail: found by name only.
    expect((await filter(app, "startswith(displayName,'Gus')")).body.value[0].mail).toBeNull();
    const advanced = await filter(app, "endswith(mail,'contoso.example')");
    expect([advanced.status, advanced.body.error.code]).toEqual([400, 'Request_UnsupportedQuery']);
  });

  it('reads one user by id or UPN, /me, and answers 404 for someone unknown', async () => {
    const alice = (await filter(app, "mail eq 'alice@contoso.example'")).body.value[0];
    expect((await app.get(`/users/${alice.id}`)).body.userPrincipalName).toBe('alice.kim@contoso.onmicrosoft.com');
    expect((await app.get('/users/ALICE.KIM@contoso.onmicrosoft.com')).body.id).toBe(alice.id);
    const me = await pm.get('/me');
    expect(me.body).toMatchObject({ userPrincipalName: ENTRA_DEMO.user.username, id: ENTRA_DEMO.user.objectId });
    expect(Object.keys(me.body)).toEqual(expect.arrayContaining(['businessPhones', 'jobTitle', 'officeLocation', 'preferredLanguage']));
    const missing = await app.get('/users/nobody@contoso.onmicrosoft.com');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'Request_ResourceNotFound']);
  });

  it('gives User.ReadBasic.All the basic profile only, pages with $skiptoken, and refuses $skip and big pages', async () => {
    const basic = await pm.get('/users?$top=3');
    expect(Object.keys(basic.body.value[0]).sort()).toEqual(['displayName', 'givenName', 'id', 'mail', 'surname', 'userPrincipalName']);
    const seen: string[] = [];
    let next: string | undefined = `${sim.apiUrl}/users?$top=4&$select=displayName`;
    while (next) {
      const page: any = await app.get(next);
      seen.push(...page.body.value.map((u: any) => u.displayName));
      next = page.body['@odata.nextLink'];
      if (next) expect(next).toContain('$skiptoken=');
    }
    expect(seen).toHaveLength(sim.directory.users.length);
    expect((await app.get('/users?$skip=2')).status).toBe(400);
    expect((await app.get('/users?$top=1000')).status).toBe(400);
  });
});
