import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseFromTypes } from '../../../src/connectors/ado/process.js';
import { AdoConnectorError } from '../../../src/connectors/ado/errors.js';
import { readProcessLabel } from '../../../src/sync/processes.js';
import type { ProcessName, SimProcess } from '../../../../sim/ado/model.js';
import { addProject } from '../../../../sim/ado/seed.js';
import { startAdoSimulator, type AdoSimulator } from '../../../../sim/ado/server.js';
import { connectorFor, MODES } from './harness.js';

/**
 * Which system process a project's process is: system ones by their id, inherited ones through the
 * process API's parent, XML ones (and ids the process API does not know) by the project's types.
 */
function xmlProcess(name: string, base: ProcessName, typeId: string): SimProcess {
  return { typeId, name, referenceName: name.replace(/\W/g, ''), description: '', customization: 'custom', base, isEnabled: true, extraTypes: [] };
}

describe.each(MODES)('project processes (%s)', (mode) => {
  let sim: AdoSimulator;
  beforeAll(async () => {
    sim = await startAdoSimulator({ mode, inheritedProject: true });
    // Hosted XML processes report no parent, so only the types can place them.
    const legacy = xmlProcess('Fabrikam XML', 'Scrum', '7d3c1b2a-0f9e-4d8c-b7a6-958473625140');
    const helpdesk = xmlProcess('Helpdesk XML', 'Basic', '6c2b0a19-fe8d-4c7b-a695-847362514039');
    sim.state.processes.push(legacy, helpdesk);
    addProject(sim.state, 'Legacy', 'Scrum', { customProcess: legacy });
    addProject(sim.state, 'Helpdesk', 'Basic', { customProcess: helpdesk });
    // A process the organization no longer has (the process API answers 404 for it).
    addProject(sim.state, 'Orphan', 'CMMI', { customProcess: xmlProcess('Retired', 'CMMI', '5b1a0908-ed7c-4b6a-9584-736251403928') });
  });
  afterAll(async () => { await sim.close(); });

  it('follows an inherited process to its parent through the process API', async () => {
    const c = connectorFor(sim);
    expect(await c.projectProcess('Vega')).toEqual({
      name: 'Contoso Agile', typeId: 'e9a1c3f0-7b2d-4c5e-9f61-2a3b4c5d6e7f', customization: 'inherited',
      base: 'Agile', basedOn: 'process', label: 'Contoso Agile (inherits Agile)',
    });
    expect(await c.processOf('Vega')).toBe('Contoso Agile (inherits Agile)');
    expect(sim.requests.some((r) => r.path.includes('/_apis/work/processes/e9a1c3f0-7b2d-4c5e-9f61-2a3b4c5d6e7f'))).toBe(true);
  });

  it.each([['Phoenix', 'Agile'], ['Atlas', 'Scrum'], ['Hermes', 'Basic'], ['Orion', 'CMMI']] as const)('knows system process %s by its id, without the process API', async (project, base) => {
    sim.clearRequests();
    const found = await connectorFor(sim).projectProcess(project);
    expect(found).toMatchObject({ name: base, customization: 'system', base, basedOn: 'process', label: base });
    expect(sim.requests.some((r) => r.path.includes('/_apis/work/processes'))).toBe(false);
  });

  it.each([
    ['Legacy', { customization: 'custom', base: 'Scrum', label: 'Fabrikam XML (custom process, works like Scrum)' }],
    ['Helpdesk', { customization: 'custom', base: 'Basic', label: 'Helpdesk XML (custom process, works like Basic)' }],
    ['Orphan', { customization: 'unknown', base: 'CMMI', label: 'Retired (works like CMMI)' }],
  ] as const)('places %s by its work item types', async (project, expected) => {
    expect(await connectorFor(sim).projectProcess(project)).toMatchObject({ ...expected, basedOn: 'work-item-types' });
  });

  it('gives labels the flows read the same base back from', async () => {
    const c = connectorFor(sim);
    for (const [project, base] of [['Vega', 'Agile'], ['Phoenix', 'Agile'], ['Legacy', 'Scrum'], ['Helpdesk', 'Basic'], ['Orphan', 'CMMI']] as const) {
      expect(readProcessLabel(await c.processOf(project)).base).toBe(base);
    }
    expect(readProcessLabel(await c.processOf('Vega'))).toEqual({ name: 'Contoso Agile', base: 'Agile', note: '(inherits Agile)' });
  });

  it('says which scope is missing instead of guessing when the PAT cannot read processes', async () => {
    sim.addPat('project-only', ['vso.project']);
    const err = await connectorFor(sim, 'project-only').projectProcess('Vega').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdoConnectorError);
    expect((err as AdoConnectorError).code).toBe('missing-scope');
    expect((err as AdoConnectorError).message).toMatch(/Work Items: Read/);
  });

  it('says the project does not exist', async () => {
    const err = await connectorFor(sim).projectProcess('Nowhere').catch((e: unknown) => e);
    expect((err as AdoConnectorError).code).toBe('project-not-found');
  });
});

describe('placing a process by its work item types', () => {
  it.each([
    [['Epic', 'Feature', 'User Story', 'Task', 'Bug', 'Issue'], 'Agile'],
    [['Epic', 'Feature', 'Product Backlog Item', 'Task', 'Bug', 'Impediment'], 'Scrum'],
    [['Epic', 'Feature', 'Requirement', 'Task', 'Bug', 'Risk', 'Issue'], 'CMMI'],
    [['Epic', 'Issue', 'Task'], 'Basic'],
    [['Ticket', 'Task'], null],
  ] as const)('%j is %s', (types, base) => {
    expect(baseFromTypes(types)).toBe(base);
  });
});

describe('reading a process label back', () => {
  it.each([
    ['Scrum', { name: 'Scrum', base: 'Scrum', note: '' }],
    ['Contoso Agile (inherits Agile)', { name: 'Contoso Agile', base: 'Agile', note: '(inherits Agile)' }],
    ['Old (works like Basic)', { name: 'Old', base: 'Basic', note: '(works like Basic)' }],
    ['Helpdesk (custom process)', { name: 'Helpdesk', base: null, note: '(custom process)' }],
    ['Something (inherits Kanban)', { name: 'Something (inherits Kanban)', base: null, note: '' }],
  ] as const)('%s', (label, expected) => {
    expect(readProcessLabel(label)).toEqual(expected);
  });
});
