import type { CommandId } from './intent.js';

/** One entry per chat command: the help card, "did you mean" and the manifest's command list use it. */
export interface CommandInfo {
  id: CommandId;
  /** Words that start this command; the first is the canonical one. */
  verbs: string[];
  usage: string;
  description: string;
  examples: string[];
  /** False until the flow behind it is built; help shows it as coming soon. */
  available: boolean;
  group: 'Get started' | 'Sync' | 'Automate';
}

export const COMMANDS: readonly CommandInfo[] = [
  {
    id: 'help', verbs: ['help', 'commands', '?'], group: 'Get started', available: true,
    usage: 'help', description: 'Show what PlanBridge can do, with examples.', examples: ['help'],
  },
  {
    id: 'connect', verbs: ['connect', 'add'], group: 'Get started', available: true,
    usage: 'connect ado | connect pwa | connect planner | connect outlook',
    description: 'Connect Azure DevOps (URL + PAT or Entra service principal), Project Web App (Microsoft 365, Windows or Basic sign-in), Planner premium (Dataverse environment + token) or an Outlook calendar (Microsoft Graph token).',
    examples: ['connect ado', 'connect project online', 'connect planner premium'],
  },
  {
    id: 'connections', verbs: ['connections'], group: 'Get started', available: true,
    usage: 'connections', description: 'List, re-check, rename or remove your connections.', examples: ['connections'],
  },
  {
    id: 'link', verbs: ['link'], group: 'Sync', available: true,
    usage: 'link project ‹plan project› to ADO project ‹ADO project› | link project ‹plan project› to Outlook',
    description: 'Set up an integration: scope, direction, hierarchy, field mapping and approvers; or tasks flagged "Create event" as Outlook events.',
    examples: ['link project Apollo to ADO project Phoenix'],
  },
  {
    id: 'sync', verbs: ['sync', 'synchronize', 'preview'], group: 'Sync', available: true,
    usage: 'sync project ‹name› [to ADO | to plan | both ways | to Outlook]',
    description: 'Preview every change and conflict, then apply exactly what you approve.',
    examples: ['sync project "Apollo Rollout" to ADO', 'sync Apollo', 'preview sync Apollo'],
  },
  {
    id: 'status', verbs: ['status'], group: 'Sync', available: true,
    usage: 'status [project] | usage', description: 'Show the last runs of an integration, or the last run of each; "usage" shows the endpoints used in this 30-day window.',
    examples: ['status Apollo'],
  },
  {
    id: 'history', verbs: ['history', 'runs'], group: 'Sync', available: true,
    usage: 'history ‹project›', description: 'The last ten runs: outcome, who approved, and counts.',
    examples: ['history Apollo'],
  },
  {
    id: 'schedule', verbs: ['schedule'], group: 'Automate', available: true,
    usage: 'schedule ‹project› hourly | daily at HH:MM ‹time zone› | weekly on ‹days› at HH:MM ‹time zone› | monthly on day N at HH:MM ‹time zone› | off [starting YYYY-MM-DD]',
    description: 'Run syncs on a schedule; previews, reports and failures are posted here.',
    examples: ['schedule Apollo daily at 09:00 Europe/Berlin', 'schedule Apollo weekly on Mon,Thu at 07:30 America/New_York', 'schedule Apollo off'],
  },
];

export function commandInfo(id: CommandId): CommandInfo {
  const info = COMMANDS.find((c) => c.id === id);
  if (!info) throw new Error(`unknown command id ${id}`);
  return info;
}
