/**
 * Who is who on both sides, for one run: the plan's resources, the ADO users who can be assigned
 * (read fresh each time, never cached beyond the run), and how they match. Used by the preview
 * (runs/sync-run.ts planSync) and by the People card.
 */
import type { IntegrationDocument } from '../store/index.js';
import { matchPeople, planResources, type DirectoryUser, type PeopleMatch } from '../sync/mapping/identity-match.js';
import type { Integration, Item } from '../sync/model.js';
import { countPlan, hashPlan, type SyncPlan } from '../sync/plan.js';
import { errorMessage } from './card-kit.js';
import type { FlowServices } from './services.js';
import type { AdoDirectory } from './systems.js';

/** Plan fields that hold resources: those of the active rules that convert identities. */
export function resourceFields(engine: Integration): string[] {
  return [...new Set(engine.mapping.filter((r) => r.active && r.transform === 'identity').map((r) => r.planField))];
}

export interface AssignableUsers {
  users: DirectoryUser[];
  /** Set when ADO could not be asked; matching then uses the stored overrides only. */
  problem?: string;
}

export async function readAssignableUsers(s: FlowServices, directory: AdoDirectory, i: IntegrationDocument): Promise<AssignableUsers> {
  if (!directory.assignableUsers) return { users: [] };
  try {
    return { users: await directory.assignableUsers(i.adoProjects) };
  } catch (err) {
    s.logger.warn({ tenant: i.tenantId, integration: i.id, err: err instanceof Error ? err.name : 'unknown' }, 'could not read assignable ADO users');
    return { users: [], problem: errorMessage(err) };
  }
}

/** Matches the resources on `planItems` (stored overrides win over automatic matches). */
export function matchPlanPeople(engine: Integration, planItems: Iterable<Item>, users: readonly DirectoryUser[], overrides: Record<string, string> | undefined): PeopleMatch & { resources: string[] } {
  const resources = planResources(planItems, resourceFields(engine));
  return { ...matchPeople(resources, users, overrides ?? {}), resources };
}

/** Adds a note to a plan's warnings, keeping counts and hash consistent (the hash covers warnings). */
export function withWarning(plan: SyncPlan, note: string): SyncPlan {
  const { hash: _old, ...rest } = plan;
  const body = { ...rest, warnings: [note, ...plan.warnings] };
  const counted = { ...body, counts: countPlan(body) };
  return { ...counted, hash: hashPlan(counted) };
}
