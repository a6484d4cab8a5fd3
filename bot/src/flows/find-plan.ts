/**
 * "link project Apollo Cloud ...": which plan system holds the plan. Every plan connection the
 * person may use is asked at once; exact names win over partial ones; when the best kind of match
 * is in more than one connection (a PWA site and a Planner environment both have "Apollo Cloud"),
 * the person is asked rather than guessed for. A connection that cannot be read is named, not fatal.
 */
import type { PlanProject, ProjectMatch } from '../connectors/ppm.js';
import type { ConnectionDocument, Stored } from '../store/index.js';
import { errorMessage } from './card-kit.js';
import type { FlowServices } from './services.js';

export interface PlanCandidate {
  connection: Stored<ConnectionDocument>;
  project: PlanProject;
}

export type PlanSearch =
  | { kind: 'found'; connection: Stored<ConnectionDocument>; matches: ProjectMatch[]; problems: string[] }
  | { kind: 'ambiguous'; candidates: PlanCandidate[]; problems: string[] }
  | { kind: 'none'; problems: string[] };

export async function findPlanAcross(s: FlowServices, connections: readonly Stored<ConnectionDocument>[], name: string): Promise<PlanSearch> {
  const problems: string[] = [];
  const hits = (await Promise.all(connections.map(async (connection) => {
    try {
      return { connection, matches: await (await s.systems.plan(connection)).findProjects(name) };
    } catch (err) {
      problems.push(`${connection.name} could not be searched: ${errorMessage(err)}`);
      return { connection, matches: [] as ProjectMatch[] };
    }
  }))).filter((h) => h.matches.length > 0);
  const exact = hits.filter((h) => h.matches[0]!.match === 'exact');
  const best = exact.length > 0 ? exact : hits;
  if (best.length === 1) return { kind: 'found', connection: best[0]!.connection, matches: best[0]!.matches, problems };
  if (best.length > 1) return { kind: 'ambiguous', candidates: best.map((h) => ({ connection: h.connection, project: h.matches[0]!.project })), problems };
  return { kind: 'none', problems };
}
