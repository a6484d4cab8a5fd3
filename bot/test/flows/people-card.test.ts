import { describe, expect, it } from 'vitest';
import type { IntegrationDocument } from '../../src/store/index.js';
import { peopleCard } from '../../src/flows/people.js';
import type { PersonMatch } from '../../src/sync/mapping/identity-match.js';
import { adaptiveCardCheck } from '../cards/card-schema.js';
import { inputsOf } from '../support/journey.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const integration = { id: 'i-1', name: 'Apollo ↔ Phoenix', adoProjects: ['Phoenix'], approvers: [{ id: '29:ada', name: 'Ada' }] } as unknown as IntegrationDocument;

describe('the People card', () => {
  it('stays within what Teams accepts for a big organization, and says what it left out', () => {
    const users = Array.from({ length: 300 }, (_, n) => ({ displayName: `Person ${n}`, uniqueName: `person.${n}@contoso.com` }));
    const matches: PersonMatch[] = Array.from({ length: 60 }, (_, n) => ({ resource: `Resource ${n}`, how: 'none' as const, user: null }));
    const card = peopleCard(TENANT, integration, { matches, users }, true);
    expect(adaptiveCardCheck()(card)).toEqual([]);
    expect(JSON.stringify(card).length).toBeLessThan(28_000);
    expect(inputsOf(card).length).toBeGreaterThanOrEqual(1);
    const text = JSON.stringify(card);
    expect(text).toContain('Showing 40 of 60 resources.');
    expect(text).toMatch(/Only the first \d+ of 300 Azure DevOps users are offered\./);
    expect(text).toContain('Save these, then open People again for the rest.');
  });

  it('shows resource names from the plan literally, never as markdown', () => {
    const evil = '**loud** [click](https://e.vil/x)';
    const card = peopleCard(TENANT, integration, { matches: [{ resource: evil, how: 'none', user: null }], users: [{ displayName: evil, uniqueName: 'x@contoso.com' }] }, true);
    const blocks = JSON.stringify(card).match(/"type":"TextBlock"[^}]*e\.vil/g);
    expect(blocks).toBeNull();
    expect(JSON.stringify(card)).toContain('e.vil');
  });
});
