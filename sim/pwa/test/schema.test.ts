import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA } from '../schema.js';
import { ORION } from '../seed-orion.js';
import { startPwaSimulator, type PwaSimulator } from '../server.js';
import { ALLOWED_DIFFERENCES } from './allowed-differences.js';
import { loadCsdl, type DumpName } from './support/csdl.js';
import { payloadDifferences } from './support/edm.js';
import { NOMETA, client, rows, type Reply } from './support/probe.js';

/**
 * Conformance of the PWA simulator with the PS schema of real `$metadata` dumps and with OData v3
 * as SharePoint serves it. Every entity the simulator serves is read in verbose JSON and checked:
 * its type exists, each property exists with a value of its Edm type, each navigation property is
 * one the type declares. Then the refusals: unknown $expand and navigation 400, datetime literals
 * compared as instants, a DateTime compared with a plain string 400, Int32 overflow refused.
 * Any difference not in `allowed-differences.ts` fails the test.
 */


const schemas = { '2019': loadCsdl('2019'), spo: loadCsdl('spo') };

/** Properties the issue requires on each served type, where the type declares them. */
const REQUIRED: Record<string, string[]> = {
  'PS.PublishedTask': ['RemainingWork', 'RemainingWorkMilliseconds', 'RemainingWorkTimeSpan', 'ActualWork', 'ActualWorkMilliseconds', 'ActualWorkTimeSpan',
    'PercentWorkComplete', 'Deadline', 'IsActive', 'TaskType', 'WorkTimeSpan', 'DurationTimeSpan'],
  'PS.PublishedAssignment': ['RemainingWork', 'RemainingWorkMilliseconds', 'ActualWork', 'ActualWorkMilliseconds', 'PercentWorkComplete', 'WorkTimeSpan'],
};
REQUIRED['PS.DraftTask'] = REQUIRED['PS.PublishedTask']!;
REQUIRED['PS.DraftAssignment'] = [...REQUIRED['PS.PublishedAssignment']!, 'ResourceId', 'TaskId'];

/** Every entity in a verbose payload, expanded ones included. */
function entities(node: unknown, out: Array<Record<string, any>> = []): Array<Record<string, any>> {
  if (Array.isArray(node)) { node.forEach((n) => entities(n, out)); return out; }
  if (!node || typeof node !== 'object') return out;
  const obj = node as Record<string, any>;
  if (typeof obj.__metadata?.type === 'string') out.push(obj);
  for (const [key, value] of Object.entries(obj)) if (key !== '__metadata') entities(value, out);
  return out;
}

describe('PWA simulator conformance with the PS $metadata and OData v3 on SharePoint', () => {
  let sim: PwaSimulator;
  const payloads = new Map<string, Reply>();
  const behaviour: string[] = [];

  beforeAll(async () => {
    sim = await startPwaSimulator({ queueJobMs: 0, seed: 'orion' });
    const http = client(sim);
    const project = sim.state.projects.find((p) => p.Name === ORION)!;
    const apollo = sim.state.projects[0]!;
    const leaf = project.tasks.find((t) => !t.IsSummary && t.OutlinePosition !== '1.1') ?? project.tasks[1]!;
    const read = async (label: string, path: string): Promise<void> => { payloads.set(label, await http.get(path)); };
    const P = `Projects('${project.Id}')`;

    await read('projects', 'Projects?$expand=CheckedOutBy');
    await read('project', `${P}?$expand=Calendar`);
    await read('apollo tasks', `Projects('${apollo.Id}')/Tasks?$expand=Parent,Assignments/Resource`);
    await read('tasks', `${P}/Tasks?$expand=Parent,Assignments/Resource,Assignments/Task,Predecessors,Successors,CustomFields`);
    await read('task predecessors', `${P}/Tasks('${leaf.Id}')/Predecessors?$expand=Start,End`);
    await read('task successors', `${P}/Tasks('${leaf.Id}')/Successors`);
    await read('task links', `${P}/TaskLinks?$expand=Start,End`);
    await read('assignments', `${P}/Assignments?$expand=Resource,Task`);
    await read('project resources', `${P}/ProjectResources?$expand=Assignments,EnterpriseResource`);
    await read('include custom fields', `${P}/IncludeCustomFields`);
    await read('custom field tasks', `Projects('${apollo.Id}')/IncludeCustomFields/Tasks`);
    await read('enterprise resources', 'EnterpriseResources');
    await read('calendars', 'Calendars?$expand=BaseCalendarExceptions');
    await read('custom fields', 'CustomFields?$expand=LookupEntries,LookupTable,EntityType');
    await read('lookup tables', 'LookupTables?$expand=Entries');
    await read('entity type', 'EntityTypes/TaskEntity');
    await read('permissions', 'UserPermissions');
    payloads.set('draft project', await http.post(`${P}/checkOut`));
    await read('draft tasks', `${P}/Draft/Tasks?$expand=Parent,Assignments/Resource,Predecessors,Successors`);
    await read('draft task links', `${P}/Draft/TaskLinks?$expand=Start,End`);
    await read('draft assignments', `${P}/Draft/Assignments?$expand=Resource,Task`);
    await read('draft project resources', `${P}/Draft/ProjectResources`);
    payloads.set('queue job', await http.post(`${P}/Draft/update()`));

    // Refusals, each as SharePoint gives it.
    const expectRefusal = async (what: string, reply: Reply, status: number): Promise<void> => {
      const code = String(reply.body?.error?.code ?? reply.body?.['odata.error']?.code ?? '');
      if (reply.status !== status || !code) behaviour.push(`${what}: answered ${reply.status}, not ${status} with an OData error`);
    };
    await expectRefusal('unknown $expand on a collection', await http.get(`${P}/Tasks?$expand=Predecesors`), 400);
    await expectRefusal('unknown $expand on an entity', await http.get(`${P}?$expand=Taskz`), 400);
    await expectRefusal('unknown nested $expand', await http.get(`${P}/Tasks?$expand=Assignments/Resourse`), 400);
    await expectRefusal('unknown navigation property', await http.get(`${P}/Tasks('${leaf.Id}')/Predecesors`), 400);
    await expectRefusal('unknown $select property', await http.get(`${P}/Tasks?$select=Id,RemainingWrok`), 400);
    await expectRefusal('unknown nested $select property', await http.get(`${P}/Tasks?$select=Id,Parent/Idd&$expand=Parent`), 400);
    await expectRefusal('DateTime compared with a plain string', await http.get(`${P}/Tasks?$filter=Modified gt '2026-01-01T00:00:00'`), 400);
    await expectRefusal('malformed datetime literal', await http.get(`${P}/Tasks?$filter=Start ge datetime'next week'`), 400);
    await expectRefusal('fractional number for Edm.Int32', await http.patch(`${P}/Draft/Tasks('${leaf.Id}')`, { PercentComplete: 50.5 }), 400);
    await expectRefusal('number beyond Edm.Int32', await http.patch(`${P}/Draft/Tasks('${leaf.Id}')`, { PercentComplete: 2147483648 }), 400);
    const instants = await http.get(`${P}/Tasks?$select=Id&$filter=Start eq datetime'${leaf.Start.slice(0, 16)}:00.000'`, NOMETA);
    if (!(instants.body?.value ?? []).some((r: { Id: string }) => r.Id === leaf.Id)) behaviour.push('datetime literal with fractional seconds does not match the same instant');
    const later = await http.get(`${P}/Tasks?$select=Id&$filter=Start gt datetime'${leaf.Start.slice(0, 16)}'`, NOMETA);
    if (later.status !== 200 || (later.body?.value ?? []).some((r: { Id: string }) => r.Id === leaf.Id)) behaviour.push('datetime literal without seconds is not compared as an instant');
    // Work in milliseconds beyond Int32 (about 596 hours) cannot be serialized.
    const big = await http.patch(`${P}/Draft/Tasks('${leaf.Id}')`, { Work: '700h' });
    if (big.status !== 204) behaviour.push(`setting 700h of work answered ${big.status}`);
    await expectRefusal('WorkMilliseconds beyond Int32', await http.get(`${P}/Draft/Tasks('${leaf.Id}')?$select=WorkMilliseconds`), 500);
    const asText = await http.get(`${P}/Draft/Tasks('${leaf.Id}')?$select=Work`);
    if (asText.status !== 200) behaviour.push(`Work as text beside an overflowing WorkMilliseconds answered ${asText.status}`);
  });
  afterAll(async () => { await sim.close(); });

  const differences = (dump: DumpName): string[] => {
    const found = new Set<string>();
    for (const [label, reply] of payloads) {
      if (reply.status !== 200) { found.add(`route ${label}: answered ${reply.status}`); continue; }
      for (const d of payloadDifferences(reply.body, schemas[dump], label)) found.add(d.replace(/^[^:]*\[\d+\][^:]*: /, ''));
      for (const row of entities(reply.body)) {
        const type = row.__metadata?.type as string;
        for (const name of REQUIRED[type] ?? []) {
          if (schemas[dump].get(type)?.properties.has(name) && !(name in row)) found.add(`${type}: ${name} not served`);
        }
      }
    }
    for (const b of behaviour) found.add(b);
    // The simulator's own declaration (schema.ts) drives $filter typing and $expand checks: it must match too.
    for (const [type, declared] of Object.entries(SCHEMA)) {
      const def = schemas[dump].get(type);
      if (!def) { found.add(`schema.ts: ${type} is not in the schema`); continue; }
      for (const [name, edm] of Object.entries(declared.properties)) {
        const real = def.properties.get(name);
        if (!real) found.add(`${type}: no property or navigation ${name}`);
        else if (real.type !== edm) found.add(`schema.ts: ${type}.${name} is ${real.type}, declared ${edm}`);
      }
      const navs = [...declared.navigations].sort().join(' ');
      if (navs !== [...def.navigations].sort().join(' ')) found.add(`schema.ts: ${type} navigation properties are not the declared ones`);
      if (declared.open !== def.open) found.add(`schema.ts: ${type} open type differs`);
    }
    return [...found].sort();
  };

  it('serves every route and entity it checks', () => {
    for (const label of ['tasks', 'task links', 'assignments', 'project resources', 'enterprise resources', 'calendars', 'draft task links']) {
      expect(rows(payloads.get(label)!).length, label).toBeGreaterThan(0);
    }
  });

  it.each(['2019', 'spo'] as const)('differs from the %s dump only where allowed', (dump) => {
    const found = differences(dump);
    console.log(`PWA conformance (${dump}): ${found.length} differences, ${ALLOWED_DIFFERENCES[dump].length} allowed\n${found.join('\n')}`);
    expect(found).toEqual([...ALLOWED_DIFFERENCES[dump].map((a) => a.difference)].sort());
  });
});
