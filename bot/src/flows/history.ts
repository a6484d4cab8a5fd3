/** Journey: "status Apollo" and "history Apollo": the last runs with outcome, approver and counts. */
import { renderCard } from '../cards/render.js';
import type { IntegrationDocument, RunDocument, RunSummary, Stored } from '../store/index.js';
import type { ActionReply, ActionTurn } from './actions.js';
import { button, notice } from './card-kit.js';
import type { AdaptiveCardJson, ChatTurn } from './chat.js';
import { findIntegration } from './find-integration.js';
import type { FlowServices } from './services.js';

const OUTCOME: Record<RunDocument['status'], string> = {
  planned: 'Planned', 'awaiting-approval': 'Waiting for approval', approved: 'Approved', applying: 'Applying',
  succeeded: 'Succeeded', 'partially-succeeded': 'Partly succeeded', failed: 'Failed', rejected: 'Rejected', expired: 'Out of date (not applied)',
};

function runLine(run: RunSummary): { heading: string; outcome: string; detail: string } {
  const counts = run.counts;
  const planned = counts ? `planned: ${counts.createAdo + counts.createPlan} creations, ${counts.updateAdo + counts.updatePlan} updates, ${counts.conflicts} conflicts` : '';
  const applied = run.applied !== undefined ? `applied ${run.applied}, skipped or failed ${run.failed ?? 0}` : '';
  const approval = run.approvals.at(-1);
  return {
    heading: `${run.createdAt.slice(0, 16).replace('T', ' ')} UTC (${run.triggerKind === 'schedule' ? 'scheduled' : 'from chat'})`,
    outcome: OUTCOME[run.status],
    detail: [approval ? `${approval.decision === 'approved' ? 'Approved' : 'Rejected'} by ${approval.by}${approval.aadObjectId ? ` (Entra ID ${approval.aadObjectId})` : ''}` : '', planned, applied].filter(Boolean).join(' · '),
  };
}

export async function historyCard(s: FlowServices, tenantId: string, i: IntegrationDocument, limit: number, title: string): Promise<AdaptiveCardJson> {
  const runs = (await s.store.runs.summaries(tenantId, i.id, { pageSize: limit })).items;
  return renderCard('runs', {
    title: `${title}: ${i.name}`,
    subtitle: runs.length === 0 ? 'No runs yet. Type "sync" with the project name to make the first preview.' : `The last ${runs.length} run${runs.length === 1 ? '' : 's'}, newest first.`,
    runs: runs.map(runLine),
    buttons: [button(tenantId, 'Preview sync now', 'sync.preview', { integrationId: i.id }, 'positive')],
  });
}

export async function sendStatus(s: FlowServices, turn: ChatTurn, project: string | undefined, history: boolean): Promise<void> {
  if (!project) {
    const all = (await s.store.integrations.list(turn.tenantId, { pageSize: 100 })).items;
    if (all.length === 0) {
      await turn.send({ card: notice('Nothing is linked yet', 'Set up an integration first, for example: link project Apollo to ADO project Phoenix') });
      return;
    }
    // Runs are partitioned per integration: one small query each (a summary, never the plan), asked together.
    const lines = await Promise.all(all.map(async (i) => {
      const last = (await s.store.runs.summaries(turn.tenantId, i.id, { pageSize: 1 })).items[0];
      return `${i.name}: ${last ? `${OUTCOME[last.status]} (${last.createdAt.slice(0, 16).replace('T', ' ')} UTC)` : 'never synced'}`;
    }));
    await turn.send({ card: notice('Integrations', 'The last run of each integration:', { details: lines }) });
    return;
  }
  const match = await findIntegration(s, turn.tenantId, project);
  if (match.kind !== 'one') {
    const names = match.kind === 'many' ? match.candidates.map((i) => i.name) : match.all.map((i) => i.name);
    await turn.send({ card: notice(match.kind === 'many' ? `"${project}" matches several integrations` : `No integration matches "${project}"`, names.length ? `Integrations: ${names.join(', ')}.` : 'Nothing is linked yet.', { tone: 'Warning' }) });
    return;
  }
  await turn.send({ card: await historyCard(s, turn.tenantId, match.integration, history ? 10 : 3, history ? 'History' : 'Status') });
}

export async function showHistory(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>): Promise<ActionReply> {
  return { card: await historyCard(s, turn.tenantId, i, 10, 'History') };
}
