/**
 * The Outlook card verbs, with the rule the action guard enforces (card-actions.ts spreads them
 * into its allow-list). Linking uses both connections, so both must be shared with the caller;
 * previews and approvals run with the stored credentials (`run`); approving is for approvers.
 */
import type { ActionReply, ActionTurn, CardAction } from '../actions.js';
import type { Guarded, VerbRule } from '../action-guard.js';
import type { FlowServices } from '../services.js';
import { connectOutlookForm, outlookOffers, submitConnectOutlook } from './connect-outlook.js';
import { createOutlookIntegration } from './link-outlook.js';
import { approveEvents, outlookPreviewFromCard, rejectEvents } from './sync-outlook.js';

type Handler = (s: FlowServices, turn: ActionTurn, action: CardAction, g: Guarded) => Promise<ActionReply>;

export const OUTLOOK_VERBS: Record<string, VerbRule & { handle: Handler }> = {
  'connect.outlook.start': { scope: 'none', handle: async (s, turn) => ({ card: connectOutlookForm(turn.tenantId, outlookOffers(s)) }) },
  'outlook.connect': { scope: 'none', handle: (s, turn, a) => submitConnectOutlook(s, turn, a) },
  'outlook.link.create': { scope: 'none', uses: { planConnectionId: 'plan', outlookConnectionId: 'outlook' }, handle: (s, turn, a, g) => createOutlookIntegration(s, turn, a, g.used!.planConnectionId!, g.used!.outlookConnectionId!) },
  'outlook.preview': { scope: 'integration', run: true, handle: (s, turn, _a, g) => outlookPreviewFromCard(s, turn, g.integration!) },
  // The hash is checked against the run's event plan by the flow (the guard's planHash reads ADO plans).
  'outlook.approve': { scope: 'run', approversOnly: true, run: true, required: ['hash'], handle: (s, turn, a, g) => approveEvents(s, turn, g.integration!, g.run!, a) },
  'outlook.reject': { scope: 'run', approversOnly: true, handle: (s, turn, _a, g) => rejectEvents(s, turn, g.integration!, g.run!) },
};
