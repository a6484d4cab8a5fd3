import { PlanConnectorError, type AccessReport } from '../ppm.js';
import type { DataverseClient, Row } from './client.js';

/**
 * What "connect planner" checks: who the token signs in as (WhoAmI), whether that user may write
 * (the schedule APIs take only users with a Microsoft Project licence, "License" in the notes), and
 * read access to every scheduling table PlanBridge reads.
 */
const TABLES: Array<[set: string, key: string, label: string]> = [
  ['msdyn_projects', 'msdyn_projectid', 'Project'], ['msdyn_projecttasks', 'msdyn_projecttaskid', 'Project Task'],
  ['msdyn_projectbuckets', 'msdyn_projectbucketid', 'Project Bucket'], ['msdyn_projectsprints', 'msdyn_projectsprintid', 'Project Sprint'],
  ['msdyn_projectteams', 'msdyn_projectteamid', 'Project Team Member'], ['msdyn_resourceassignments', 'msdyn_resourceassignmentid', 'Resource Assignment'],
  ['msdyn_projecttaskdependencies', 'msdyn_projecttaskdependencyid', 'Project Task Dependency'], ['msdyn_operationsets', 'msdyn_operationsetid', 'Operation Set'],
];

/**
 * Service plans that carry a Project licence: Project Plan 1/3/5 and their variants are named
 * PROJECT_* in the Microsoft 365 licensing tables [guess: names as the M365 admin center lists them];
 * PROJECTWORKMANAGEMENT is Microsoft Planner, which is not one.
 */
export function isProjectPlan(plan: Row): boolean {
  const name = String(plan.Name ?? plan.name ?? '').toUpperCase();
  return /^PROJECT_/.test(name) && name !== 'PROJECTWORKMANAGEMENT';
}

export async function verifyAccess(client: DataverseClient, checkProject: (id: string) => Promise<{ archived: boolean; name: string }>, projectId?: string): Promise<AccessReport> {
  const who = await client.get('WhoAmI');
  const userId = String(who.UserId ?? '');
  const report: AccessReport = { canRead: true, canEdit: false, canManageFields: false, missing: [], warnings: [] };
  for (const [set, key, label] of TABLES) {
    try {
      await client.get(set, { $select: key, $top: '1' });
    } catch (err) {
      if (!(err instanceof PlanConnectorError) || (err.details.status !== 403 && err.code !== 'forbidden')) throw err;
      report.canRead = false;
      report.missing.push(`Read ${label} (${set})`);
    }
  }
  const licence = await client.get(`systemusers(${userId})/Microsoft.Dynamics.CRM.RetrieveUserLicenseInfo()`);
  const plans = ((licence.licenseInfo as Row | undefined)?.ServicePlans as Row[] | undefined) ?? [];
  // accessmode 4 is Non-interactive: application users are refused whatever they hold ("License").
  const licensed = Number(licence.AccessMode) !== 4 && plans.some(isProjectPlan);
  if (!licensed) report.missing.push(`A Microsoft Project licence (Project Plan 1, 3 or 5) for ${client.account}: Planner premium only lets licensed users change plans`);
  report.canEdit = licensed && report.canRead;
  if (projectId) {
    const project = await checkProject(projectId);
    if (project.archived) {
      report.canEdit = false;
      report.missing.push(`"${project.name}" is inactive in Planner premium; PlanBridge reads it but never writes it`);
    }
  }
  report.warnings.push('Planner premium plans have no custom task fields: PlanBridge keeps its links in its own store, and Bucket, Sprint and Priority are the plan values a mapping can use.');
  return report;
}
