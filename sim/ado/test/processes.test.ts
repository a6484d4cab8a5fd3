import Ajv04Module from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTOSO_AGILE_ID, VEGA_ID } from '../seed-processes.js';
import { ADO_DEMO_PATS, startAdoSimulator, type AdoSimulator } from '../server.js';
import { specChecker } from './specs.js';

/**
 * The process API (`_apis/work/processes`) and what a project says about its process, checked
 * against the specs. ../shared/specs/ado has no processes spec, so ProcessInfo is written out here
 * from the official one (vsts-rest-api-specs, specification/processes/7.1/workItemTrackingProcess.json,
 * definitions ProcessInfo and ProjectReference).
 */
const PROCESS_INFO = {
  type: 'object',
  additionalProperties: false,
  required: ['typeId', 'name', 'customizationType', 'parentProcessTypeId'],
  properties: {
    customizationType: { enum: ['system', 'inherited', 'custom'] },
    description: { type: 'string' },
    isDefault: { type: 'boolean' },
    isEnabled: { type: 'boolean' },
    name: { type: 'string' },
    parentProcessTypeId: { type: 'string', pattern: '^[0-9a-f-]{36}$' },
    projects: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, properties: { description: { type: 'string' }, id: { type: 'string' }, name: { type: 'string' }, url: { type: 'string' } } },
    },
    // A system process has none: the official examples send null.
    referenceName: { type: ['string', 'null'] },
    typeId: { type: 'string', pattern: '^[0-9a-f-]{36}$' },
  },
};
const validProcessInfo = new Ajv04Module.default({ strict: false, allErrors: true }).compile(PROCESS_INFO);
const core = specChecker('core-7.1.json');
const wit = specChecker('wit-7.1.json');

const AGILE_ID = 'adcc42ab-9882-485e-a3ed-7678f01f66bc';
const NO_PARENT = '00000000-0000-0000-0000-000000000000';
const basic = (pat: string) => `Basic ${Buffer.from(`:${pat}`).toString('base64')}`;

describe('the ProcessInfo schema', () => {
  it('rejects what the spec does not allow', () => {
    expect(validProcessInfo({ typeId: AGILE_ID, name: 'Agile', customizationType: 'system', parentProcessTypeId: NO_PARENT })).toBe(true);
    expect(validProcessInfo({ typeId: AGILE_ID, name: 'Agile', customizationType: 'xml', parentProcessTypeId: NO_PARENT })).toBe(false);
    expect(validProcessInfo({ typeId: AGILE_ID, name: 'Agile', customizationType: 'system', parentProcessTypeId: NO_PARENT, parent: 'Agile' })).toBe(false);
  });
});

describe.each(['cloud', 'server2019'] as const)('the process API (%s)', (mode) => {
  let sim: AdoSimulator;
  const headers = (pat: string = ADO_DEMO_PATS.fullAccess) => ({ authorization: basic(pat), 'x-tfs-fedauthredirect': 'Suppress', accept: `application/json;api-version=${mode === 'cloud' ? '7.1' : '5.0'}` });
  const get = async (path: string, pat?: string) => {
    const res = await fetch(`${sim.url}/${path}`, { headers: headers(pat) });
    return { status: res.status, body: (await res.json()) as any };
  };
  beforeAll(async () => { sim = await startAdoSimulator({ mode, inheritedProject: true }); });
  afterAll(async () => { await sim.close(); });

  it('lists the system processes and Contoso Agile as ProcessInfo, and nothing the spec does not declare', async () => {
    const { status, body } = await get('_apis/work/processes');
    expect(status).toBe(200);
    expect(body.count).toBe(body.value.length);
    for (const p of body.value) expect(validProcessInfo(p), JSON.stringify(validProcessInfo.errors)).toBe(true);
    expect(body.value.map((p: any) => [p.name, p.customizationType])).toEqual([
      ['Agile', 'system'], ['Scrum', 'system'], ['CMMI', 'system'], ['Basic', 'system'], ['Contoso Agile', 'inherited'],
    ]);
    const agile = body.value[0];
    expect(agile).toMatchObject({ typeId: AGILE_ID, referenceName: null, parentProcessTypeId: NO_PARENT, isDefault: true, isEnabled: true });
  });

  it('gets Contoso Agile by id, with Agile as its parent', async () => {
    const { status, body } = await get(`_apis/work/processes/${CONTOSO_AGILE_ID}`);
    expect(status).toBe(200);
    expect(validProcessInfo(body)).toBe(true);
    expect(body).toMatchObject({ typeId: CONTOSO_AGILE_ID, name: 'Contoso Agile', customizationType: 'inherited', parentProcessTypeId: AGILE_ID, isDefault: false });
    expect(body.referenceName).toMatch(/^Inherited\.[0-9a-f]{32}$/);
    expect(body).not.toHaveProperty('projects');
  });

  it('expands the projects of each process, by name or by the number the client library sends', async () => {
    for (const expand of ['projects', '1']) {
      const one = await get(`_apis/work/processes/${CONTOSO_AGILE_ID}?$expand=${expand}`);
      expect(validProcessInfo(one.body)).toBe(true);
      expect(one.body.projects).toEqual([{ id: VEGA_ID, name: 'Vega', description: expect.any(String), url: `${sim.url}/_apis/projects/${VEGA_ID}` }]);
    }
    const all = await get('_apis/work/processes?$expand=projects');
    expect(all.body.value.find((p: any) => p.name === 'Agile').projects.map((p: any) => p.name)).toEqual(['Phoenix']);
  });

  it('refuses an unknown or malformed process id with 404 in ADO\'s error shape, and an unknown $expand with 400', async () => {
    for (const id of ['11111111-2222-4333-8444-555555555555', 'not-a-guid']) {
      const { status, body } = await get(`_apis/work/processes/${id}`);
      expect(status).toBe(404);
      expect(Object.keys(body).sort()).toEqual(['$id', 'errorCode', 'eventId', 'innerException', 'message', 'typeKey', 'typeName']);
      expect(body.typeKey).toBe('ProcessNotFoundByTypeIdException');
      expect(body.message).toContain(id);
    }
    expect((await get('_apis/work/processes?$expand=everything')).status).toBe(400);
  });

  it('needs the Work Items: Read scope, as the spec says (vso.work)', async () => {
    sim.addPat('project-only', ['vso.project']);
    expect((await get('_apis/work/processes', 'project-only')).status).toBe(401);
  });

  it('is advertised for the client library under the processes area', async () => {
    const res = await fetch(`${sim.url}/_apis/processes`, { method: 'OPTIONS' });
    const body = (await res.json()) as any;
    expect(body.value).toContainEqual(expect.objectContaining({ id: '02cc6a73-5cfb-427d-8c8e-b49fb086e8af', area: 'processes', routeTemplate: '_apis/work/{resource}/{processTypeId}' }));
  });

  it('names the inherited process, not its parent, in the project capabilities (a valid TeamProject)', async () => {
    const { body } = await get('_apis/projects/Vega?includeCapabilities=true');
    expect(core.check('TeamProject', body)).toEqual([]);
    expect(core.unknownProperties('TeamProject', body)).toEqual([]);
    expect(body.capabilities.processTemplate).toEqual({ templateName: 'Contoso Agile', templateTypeId: CONTOSO_AGILE_ID });
    expect((await get('_apis/projects/Phoenix?includeCapabilities=true')).body.capabilities.processTemplate).toEqual({ templateName: 'Agile', templateTypeId: AGILE_ID });
  });

  it('lists Contoso Agile in core\'s process list too, as an inherited Process', async () => {
    const { body } = await get('_apis/process/processes');
    const own = body.value.find((p: any) => p.id === CONTOSO_AGILE_ID);
    expect(core.check('Process', own)).toEqual([]);
    expect(own).toMatchObject({ name: 'Contoso Agile', type: 'inherited' });
    expect((await get(`_apis/process/processes/${CONTOSO_AGILE_ID}`)).body.name).toBe('Contoso Agile');
  });

  it('gives Vega Agile\'s types plus the Change Request its process adds, and only Vega', async () => {
    const { body } = await get('Vega/_apis/wit/workitemtypes');
    for (const t of body.value) expect(wit.check('WorkItemType', t)).toEqual([]);
    expect(body.value.map((t: any) => t.name)).toEqual(['Epic', 'Feature', 'User Story', 'Task', 'Bug', 'Change Request']);
    expect((await get('Vega/_apis/wit/workitemtypes/Change%20Request')).body.referenceName).toBe('ContosoAgile.ChangeRequest');
    expect((await get('Phoenix/_apis/wit/workitemtypes/Change%20Request')).status).toBe(404);
    const created = await fetch(`${sim.url}/Vega/_apis/wit/workitems/$Change%20Request`, {
      method: 'POST', headers: { ...headers(), 'content-type': 'application/json-patch+json' }, body: JSON.stringify([{ op: 'add', path: '/fields/System.Title', value: 'Partner SLA' }]),
    });
    expect(created.status).toBe(200);
  });
});

describe('the default demo seed', () => {
  let sim: AdoSimulator;
  beforeAll(async () => { sim = await startAdoSimulator(); });
  afterAll(async () => { await sim.close(); });

  it('has Contoso Agile with no project on it, and the four demo projects as before', async () => {
    const res = await fetch(`${sim.url}/_apis/work/processes/${CONTOSO_AGILE_ID}?$expand=projects`, { headers: { authorization: basic(ADO_DEMO_PATS.fullAccess), accept: 'application/json;api-version=7.1' } });
    expect(((await res.json()) as any).projects).toEqual([]);
    expect(sim.state.projects.map((p) => p.name)).toEqual(['Phoenix', 'Atlas', 'Hermes', 'Orion']);
  });
});
