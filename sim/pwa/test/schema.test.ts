import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PWA_DEMO_CREDENTIALS, startPwaSimulator, type PwaSimulator } from '../server.js';

/** Entity types of the PS namespace from a real `$metadata` dump, with inherited members. */
function loadSchema(file: string): Map<string, { members: Set<string>; open: boolean }> {
  const xml = readFileSync(fileURLToPath(new URL(`../../../../shared/specs/pwa/${file}`, import.meta.url)), 'utf8');
  const raw = new Map<string, { base: string | null; members: string[]; open: boolean }>();
  for (const m of xml.matchAll(/<EntityType Name="(\w+)"([^>]*)>([\s\S]*?)<\/EntityType>/g)) {
    const base = /BaseType="PS\.(\w+)"/.exec(m[2]!)?.[1] ?? null;
    const members = [...m[3]!.matchAll(/<(?:Navigation)?Property Name="(\w+)"/g)].map((x) => x[1]!);
    raw.set(m[1]!, { base, members, open: /OpenType="true"/.test(m[2]!) });
  }
  const out = new Map<string, { members: Set<string>; open: boolean }>();
  for (const [name, t] of raw) {
    const members = new Set(t.members);
    for (let b = t.base; b; b = raw.get(b)?.base ?? null) for (const x of raw.get(b)?.members ?? []) members.add(x);
    out.set(`PS.${name}`, { members, open: t.open });
  }
  return out;
}

const schemas = { '2019': loadSchema('PS-namespace.2019.csdl.xml'), spo: loadSchema('PS-namespace.spo.csdl.xml') };

/** Every property of every PS entity in a verbose payload must exist on its type in the dump. */
function violations(node: unknown, schema: ReturnType<typeof loadSchema>, path = '$', seen: string[] = []): string[] {
  if (Array.isArray(node)) { node.forEach((n, i) => violations(n, schema, `${path}[${i}]`, seen)); return seen; }
  if (!node || typeof node !== 'object') return seen;
  const obj = node as Record<string, unknown>;
  const type = (obj.__metadata as { type?: string } | undefined)?.type;
  const def = type?.startsWith('PS.') ? schema.get(type) : undefined;
  if (type?.startsWith('PS.') && !def) seen.push(`${path}: unknown type ${type}`);
  for (const [key, value] of Object.entries(obj)) {
    if (key === '__metadata' || key === 'results' || key === '__next') { violations(value, schema, `${path}.${key}`, seen); continue; }
    if (def && !def.members.has(key) && !(def.open && /^Custom_x005f_[0-9a-f]{32}$/.test(key))) seen.push(`${path}: ${type} has no property ${key}`);
    violations(value, schema, `${path}.${key}`, seen);
  }
  return seen;
}

describe('simulator JSON matches the PS schema of real $metadata dumps', () => {
  let sim: PwaSimulator;
  const payloads: Record<string, unknown> = {};
  beforeAll(async () => {
    sim = await startPwaSimulator({ queueJobMs: 0 });
    const api = `${sim.url}/_api/ProjectServer`;
    const headers = { authorization: `Bearer ${PWA_DEMO_CREDENTIALS.bearerToken}`, accept: 'application/json;odata=verbose' };
    const p = sim.state.projects[0]!;
    const get = (path: string) => fetch(`${api}/${path}`, { headers }).then((r) => r.json());
    const post = (path: string) => fetch(`${api}/${path}`, { method: 'POST', headers }).then((r) => r.json());
    payloads.projects = await get('Projects?$expand=CheckedOutBy');
    payloads.tasks = await get(`Projects('${p.Id}')/Tasks?$expand=Parent,Assignments/Resource`);
    payloads.customFields = await get('CustomFields?$expand=LookupEntries,LookupTable,EntityType');
    payloads.lookupTables = await get('LookupTables?$expand=Entries');
    payloads.entityType = await get('EntityTypes/TaskEntity');
    payloads.permissions = await get('UserPermissions');
    payloads.draftProject = await post(`Projects('${p.Id}')/checkOut`);
    payloads.draftTasks = await get(`Projects('${p.Id}')/Draft/Tasks?$expand=Parent`);
    payloads.job = await post(`Projects('${p.Id}')/Draft/update()`);
  });
  afterAll(async () => { await sim.close(); });

  it('checks a non-empty set of entities', () => {
    expect(JSON.stringify(payloads.tasks)).toContain('Custom_x005f_');
    expect(JSON.stringify(payloads.job)).toContain('PS.QueueJob');
  });

  it.each(['2019', 'spo'] as const)('against the %s dump (types it defines)', (version) => {
    const problems = Object.entries(payloads).flatMap(([name, body]) => violations(body, schemas[version], name))
      // The Online dump has no DraftProject functions; only compare what it defines.
      .filter((p) => version === '2019' || !p.includes('unknown type'));
    expect(problems).toEqual([]);
  });
});
