/** fast-check generators: random plan trees, ADO trees and edits on both sides, for any process. */
import fc from 'fast-check';
import type { FieldValue } from '../../../src/sync/model.js';
import { PROCESSES, statesFor, type ProcessName } from '../../../src/sync/processes.js';
import { dayToAdo } from '../../../src/sync/mapping/dates.js';
import type { World } from './fixtures.js';

const day = fc.integer({ min: 0, max: 900 }).map((n) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
const name = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== '');
const notes = fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }).map((lines) => lines.join('\n'));
const resource = fc.constantFrom('Alice Smith', 'Bob Jones', '');
const assignee = fc.constantFrom<FieldValue>('alice@contoso.com', 'Bob Jones <bob@contoso.com>', null);
const hours = fc.integer({ min: 0, max: 80 });

export const planFields = fc.record({
  Name: name,
  Start: day.map((d) => `${d}T08:00:00`),
  Finish: day.map((d) => `${d}T17:00:00`),
  Work: hours.map((h) => `${h}h`),
  RemainingWork: hours.map((h) => `${h}h`),
  PercentComplete: fc.constantFrom(0, 10, 50, 99, 100),
  Notes: notes,
  ResourceNames: resource,
});

export function adoFields(process: ProcessName, type: string, timeZone: string) {
  return fc.record({
    'System.Title': name,
    'System.State': fc.constantFrom(...statesFor(process, type)),
    'Microsoft.VSTS.Scheduling.StartDate': day.map((d) => dayToAdo(d, timeZone)),
    'Microsoft.VSTS.Scheduling.TargetDate': day.map((d) => dayToAdo(d, timeZone)),
    'Microsoft.VSTS.Scheduling.FinishDate': day.map((d) => dayToAdo(d, timeZone)),
    'Microsoft.VSTS.Scheduling.OriginalEstimate': hours,
    'Microsoft.VSTS.Scheduling.RemainingWork': hours,
    'System.Description': notes.map((t) => (t === '' ? '' : `<div>${t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</div>`)),
    'System.AssignedTo': assignee,
  });
}

/** A forest as parent indexes: node i hangs under an earlier node or is a root (-1). */
export const forest = (max: number) =>
  fc.integer({ min: 0, max }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => fc.integer({ min: -1, max: i - 1 }))));

export interface Seed {
  planParents: number[];
  planFields: Array<Record<string, FieldValue>>;
  ado: Array<{ parent: number; type: string; fields: Record<string, FieldValue> }>;
}

export function seedArb(process: ProcessName, timeZone: string): fc.Arbitrary<Seed> {
  const p = PROCESSES[process];
  const types = [...p.levels, p.leafType];
  return fc.record({
    planParents: forest(6),
    adoParents: forest(5),
  }).chain(({ planParents, adoParents }) =>
    fc.record({
      planParents: fc.constant(planParents),
      planFields: fc.tuple(...planParents.map(() => planFields)),
      ado: fc.tuple(...adoParents.map((parent) => fc.constantFrom(...types).chain((type) =>
        adoFields(process, type, timeZone).map((fields) => ({ parent, type, fields }))))),
    }));
}

export function plant(world: World, seed: Seed): void {
  const planKeys: string[] = [];
  seed.planParents.forEach((parent, i) => planKeys.push(world.plan.seed(seed.planFields[i]!, parent < 0 ? null : planKeys[parent]!)));
  const adoKeys: string[] = [];
  seed.ado.forEach((a) => adoKeys.push(world.ado.seed(a.type, a.fields, a.parent < 0 ? null : adoKeys[a.parent]!)));
}

/** One edit somebody makes between syncs; indexes are taken modulo the current item count. */
export type Edit =
  | { kind: 'planField'; at: number; fields: Record<string, FieldValue> }
  | { kind: 'adoField'; at: number; fields: Record<string, FieldValue> }
  | { kind: 'planMove'; at: number; to: number }
  | { kind: 'adoMove'; at: number; to: number }
  | { kind: 'planNew'; under: number; fields: Record<string, FieldValue> }
  | { kind: 'adoNew'; under: number; type: string; fields: Record<string, FieldValue> };

export function editsArb(process: ProcessName, timeZone: string, moveSide: 'plan' | 'ado'): fc.Arbitrary<Edit[]> {
  const p = PROCESSES[process];
  const idx = fc.nat({ max: 50 });
  const someOf = <T extends Record<string, unknown>>(arb: fc.Arbitrary<T>) => arb.chain((all) =>
    fc.subarray(Object.keys(all), { minLength: 1 }).map((keys) => Object.fromEntries(keys.map((k) => [k, all[k]])) as Record<string, FieldValue>));
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ kind: fc.constant('planField' as const), at: idx, fields: someOf(planFields) }),
    fc.record({ kind: fc.constant('adoField' as const), at: idx, fields: someOf(adoFields(process, p.leafType, timeZone)).map((f) => { delete f['System.State']; return f; }) }),
    fc.record({ kind: fc.constant(moveSide === 'plan' ? 'planMove' as const : 'adoMove' as const), at: idx, to: fc.integer({ min: -1, max: 50 }) }),
    fc.record({ kind: fc.constant('planNew' as const), under: fc.integer({ min: -1, max: 50 }), fields: planFields }),
    fc.constantFrom(...p.levels, p.leafType).chain((type) =>
      fc.record({ kind: fc.constant('adoNew' as const), under: fc.integer({ min: -1, max: 50 }), type: fc.constant(type), fields: adoFields(process, type, timeZone) })),
  );
  return fc.array(edit, { maxLength: 8 });
}

function isAncestor(parentOf: (k: string) => string | null, maybeAncestor: string, key: string): boolean {
  for (let p: string | null = key; p !== null; p = parentOf(p)) if (p === maybeAncestor) return true;
  return false;
}

export function applyEdits(world: World, edits: readonly Edit[]): void {
  for (const e of edits) {
    const planKeys = [...world.plan.tasks.keys()].sort();
    const adoKeys = [...world.ado.items.keys()].sort();
    const pick = (keys: string[], i: number): string | null => (i < 0 || keys.length === 0 ? null : keys[i % keys.length]!);
    switch (e.kind) {
      case 'planField': { const k = pick(planKeys, e.at); if (k) world.plan.edit(k, e.fields); break; }
      case 'adoField': { const k = pick(adoKeys, e.at); if (k) world.ado.edit(k, e.fields); break; }
      case 'planMove': {
        const k = pick(planKeys, e.at);
        const to = pick(planKeys, e.to);
        if (k && (to === null || !isAncestor((x) => world.plan.tasks.get(x)?.parentKey ?? null, k, to))) world.plan.edit(k, {}, to);
        break;
      }
      case 'adoMove': {
        const k = pick(adoKeys, e.at);
        const to = pick(adoKeys, e.to);
        if (k && (to === null || !isAncestor((x) => world.ado.items.get(x)?.parentKey ?? null, k, to))) world.ado.edit(k, {}, to);
        break;
      }
      case 'planNew': world.plan.seed(e.fields, pick(planKeys, e.under)); break;
      case 'adoNew': world.ado.seed(e.type, e.fields, pick(adoKeys, e.under)); break;
    }
  }
}
