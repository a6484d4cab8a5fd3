import type { SimProcess, SimProject, SimState } from './model.js';
import { addProject, insertItem, type SeedContext } from './seed.js';

/**
 * The demo organization's own process: "Contoso Agile", inherited from Agile with one type of
 * its own, as most Azure DevOps Services organizations have, and Vega, the project that uses it.
 */
export const CONTOSO_AGILE_ID = 'e9a1c3f0-7b2d-4c5e-9f61-2a3b4c5d6e7f';
export const VEGA_ID = '5b0e7a9c-3d41-4f28-a6b3-9c8d7e6f5a41';

export function contosoAgile(): SimProcess {
  return {
    typeId: CONTOSO_AGILE_ID,
    name: 'Contoso Agile',
    // What ADO generates for a process made in the web UI: "Inherited." and the id without dashes.
    referenceName: `Inherited.${CONTOSO_AGILE_ID.replace(/-/g, '')}`,
    description: 'Agile with the change requests of the Contoso PMO.',
    customization: 'inherited',
    base: 'Agile',
    isEnabled: true,
    extraTypes: [{
      name: 'Change Request', referenceName: 'ContosoAgile.ChangeRequest', color: 'f6546a', icon: 'icon_airplane',
      states: [{ name: 'New', color: 'b2b2b2', category: 'Proposed' }, { name: 'Active', color: '007acc', category: 'InProgress' }, { name: 'Closed', color: '339933', category: 'Completed' }],
      fields: ['Microsoft.VSTS.Common.Priority', 'Microsoft.VSTS.Scheduling.TargetDate'],
    }],
  };
}

/** Adds Contoso Agile to the organization once and returns it. */
export function addContosoAgile(state: SimState): SimProcess {
  const existing = state.processes.find((p) => p.typeId === CONTOSO_AGILE_ID);
  if (existing) return existing;
  const process = contosoAgile();
  state.processes.push(process);
  return process;
}

/** Vega: a small project on Contoso Agile, Epic > Feature > User Story > Task plus a Change Request. */
export function addVega(state: SimState, seed: SeedContext): SimProject {
  const vega = addProject(state, 'Vega', 'Agile', { id: VEGA_ID, description: 'Partner portal, on the Contoso Agile process.', customProcess: addContosoAgile(state) });
  const epic = insertItem(state, seed, vega, 'Epic', 'Partner portal');
  const feature = insertItem(state, seed, vega, 'Feature', 'Partner self-service onboarding', {}, epic);
  const story = insertItem(state, seed, vega, 'User Story', 'Invite a partner user', { 'Microsoft.VSTS.Scheduling.StoryPoints': 3 }, feature);
  insertItem(state, seed, vega, 'Task', 'Invitation e-mail template', { 'Microsoft.VSTS.Scheduling.RemainingWork': 4 }, story);
  insertItem(state, seed, vega, 'Change Request', 'Extend single sign-on to partners', {}, epic);
  return vega;
}
