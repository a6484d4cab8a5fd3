import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdoConnector } from '../../../src/connectors/ado/connector.js';
import { AdoConnectorError } from '../../../src/connectors/ado/errors.js';
import { json, startFakeServer, type FakeServer } from '../../net/fake-server.js';

async function failure(p: Promise<unknown>): Promise<AdoConnectorError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AdoConnectorError);
  return err as AdoConnectorError;
}

/** Defect 8: a server that says "Success" to everything must not pass for Azure DevOps. */
describe('ADO connect check against a look-alike server', () => {
  let fake: FakeServer;
  beforeAll(async () => { fake = await startFakeServer((_req, res) => json(res, { Code: 'Success' })); });
  afterAll(async () => { await fake.close(); });
  const connector = () => new AdoConnector({ url: `${fake.origin}/tfs/DefaultCollection`, pat: 'a-real-looking-pat', localMode: true });

  it('refuses the connection with an actionable error instead of "Connected"', async () => {
    const err = await failure(connector().checkConnection());
    expect(err.code).toBe('org-not-found');
    expect(err.message).toMatch(/answered, but not the way Azure DevOps does/);
    expect(err.message).toMatch(/https:\/\/dev\.azure\.com\/\{organization\}/);
    expect(err.message).not.toMatch(/Cannot read properties|undefined/);
  });

  it('never shows the library tripping over the answer when listing projects', async () => {
    const err = await failure(connector().listProjects());
    expect(err.message).toContain(fake.origin);
    expect(err.message).toMatch(/Azure DevOps/);
    expect(err.message).not.toMatch(/Cannot read properties|undefined/);
  });

  it('refuses connection data that looks right but lists no projects', async () => {
    const halfFake = await startFakeServer((req, res) => {
      if (req.url?.includes('connectionData')) {
        json(res, { instanceId: 'c0f8a8a6-6f5e-4d9e-9c77-0d7e1f6b1a01', authenticatedUser: { id: 'u1', providerDisplayName: 'Eve' }, deploymentType: 'onPremises' });
      } else {
        json(res, { Code: 'Success' });
      }
    });
    try {
      const c = new AdoConnector({ url: `${halfFake.origin}/tfs/DefaultCollection`, pat: 'pat', localMode: true });
      const err = await failure(c.checkConnection());
      expect(err.message).toMatch(/Azure DevOps/);
      expect(err.message).not.toMatch(/Cannot read properties/);
    } finally {
      await halfFake.close();
    }
  });
});
