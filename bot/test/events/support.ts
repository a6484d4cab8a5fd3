import type { PersonMatch } from '../../src/connectors/outlook/index.js';
import type { PlanTask } from '../../src/connectors/ppm.js';

/** A plan task as the PWA connector reads it, flagged "Create event" unless told otherwise. */
export function task(id: string, overrides: Partial<PlanTask> = {}, people: Array<[string, string | null]> = []): PlanTask {
  return {
    id, parentId: null, outlineLevel: 1, outlinePosition: id, isSummary: false, name: `Task ${id}`,
    start: '2026-03-10T09:00:00', finish: '2026-03-10T11:00:00', durationMinutes: 120, workMinutes: 120,
    actualWorkMinutes: 0, remainingWorkMinutes: 120, percentComplete: 0, notes: `Notes of ${id}`, deadline: null,
    isMilestone: false, isActive: true, taskType: null, isSubProject: false, predecessors: [],
    assignments: people.map(([name, email], i) => ({ resourceId: `r-${i}-${name}`, resourceName: name, resourceEmail: email, workMinutes: 60, actualWorkMinutes: 0, remainingWorkMinutes: 60 })),
    customFields: { 'Create event': true }, modified: null, version: '1',
    ...overrides,
  };
}

const user = (displayName: string, mail: string) => ({ id: mail, displayName, mail, userPrincipalName: mail });

/** Directory matches as OutlookConnector.findPeople returns them for the demo tenant. */
export const DEMO_PEOPLE: ReadonlyMap<string, PersonMatch> = new Map<string, PersonMatch>([
  ['email:alice@contoso.example', { how: 'email', user: user('Alice Kim', 'alice@contoso.example'), address: 'alice@contoso.example' }],
  ['email:bob@contoso.example', { how: 'email', user: user('Bob Lee', 'bob@contoso.example'), address: 'bob@contoso.example' }],
  ['name:chen wu', { how: 'name', user: user('Chen Wu', 'chen@contoso.example'), address: 'chen@contoso.example' }],
  ['name:bob lee', { how: 'ambiguous', candidates: 2 }],
  ['name:nobody', { how: 'none' }],
]);
