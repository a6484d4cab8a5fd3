/** "sync Apollo": which integration the user means, matched fuzzily on the plan name. */
import type { IntegrationDocument, Stored } from '../store/index.js';
import { editDistance } from '../text/edit-distance.js';
import type { FlowServices } from './services.js';

export type IntegrationMatch =
  | { kind: 'one'; integration: Stored<IntegrationDocument> }
  | { kind: 'many'; candidates: Stored<IntegrationDocument>[] }
  | { kind: 'none'; all: Stored<IntegrationDocument>[] };

const norm = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

export async function findIntegration(s: FlowServices, tenantId: string, name: string): Promise<IntegrationMatch> {
  const all = (await s.store.integrations.list(tenantId, { pageSize: 1000 })).items;
  const wanted = norm(name);
  const names = (i: IntegrationDocument) => [i.planProjectName ?? '', i.name].map(norm).filter(Boolean);
  const tiers: Array<(n: string) => boolean> = [
    (n) => n === wanted,
    (n) => n.startsWith(wanted),
    (n) => n.includes(wanted),
    (n) => wanted.length >= 4 && editDistance(n.slice(0, wanted.length + 1), wanted) <= 2,
  ];
  for (const tier of tiers) {
    const hits = all.filter((i) => names(i).some(tier));
    if (hits.length === 1) return { kind: 'one', integration: hits[0]! };
    if (hits.length > 1) return { kind: 'many', candidates: hits };
  }
  return { kind: 'none', all };
}
