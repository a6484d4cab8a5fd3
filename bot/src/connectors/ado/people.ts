import { listTeams } from './discovery.js';
import type { AdoSession } from './session.js';
import type { AdoUser } from './types.js';

/**
 * The people who can be assigned work in a project: the members of its teams (core
 * GetTeamMembersWithExtendedProperties, scope vso.project, on Services and Server 2019+). The
 * Graph API would list the whole organization, but needs vso.graph and is not on Server 2019.
 */
const PAGE = 100;

/** `team` is a name or id; `teamName` only words errors (ids route more safely than names). */
export async function teamMembers(session: AdoSession, project: string, team: string, teamName = team): Promise<AdoUser[]> {
  const out: AdoUser[] = [];
  const op = { what: `list the members of team ${teamName} in ${project}`, scope: 'project-read' as const, project };
  for (let skip = 0; ; skip += PAGE) {
    const page = await session.call(op, async () => (await session.core()).getTeamMembersWithExtendedProperties(project, team, PAGE, skip));
    if (!page) throw await session.explainNull(op);
    for (const m of page) {
      const who = m.identity;
      // Groups can be team members too; only people can be assigned.
      if (!who?.id || !who.uniqueName || who.isContainer) continue;
      out.push({ id: who.id, displayName: who.displayName ?? who.uniqueName, uniqueName: who.uniqueName });
    }
    if (page.length < PAGE) return out;
  }
}

/** Members of every team of the projects, each person once, sorted by display name. */
export async function assignableUsers(session: AdoSession, projects: readonly string[]): Promise<AdoUser[]> {
  const byId = new Map<string, AdoUser>();
  for (const project of new Set(projects)) {
    const teams = await listTeams(session, project);
    const pages = await Promise.all(teams.map((t) => teamMembers(session, project, t.id, t.name)));
    for (const user of pages.flat()) if (!byId.has(user.id)) byId.set(user.id, user);
  }
  return [...byId.values()].sort((a, b) => a.displayName.localeCompare(b.displayName) || a.uniqueName.localeCompare(b.uniqueName));
}
