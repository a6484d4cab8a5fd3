/**
 * The chat side of starting a Microsoft 365 sign-in, shared by "connect pwa", "connect planner"
 * and "connect outlook": begin it for the turn's user and conversation, and answer with the
 * "Sign in" button. The browser finishes it; flows/sign-in-result.ts posts the outcome here.
 */
import { SYSTEM_NAME } from '../connectors/m365/resources.js';
import type { SignInSystem } from '../store/index.js';
import type { ActionTurn } from './actions.js';
import { notice } from './card-kit.js';
import type { AdaptiveCardJson } from './chat.js';
import type { FlowServices } from './services.js';

export interface SignInRequest {
  system: SignInSystem;
  url: string;
  name: string;
  timeZone?: string;
  connectionId?: string;
}

/** The "open the sign-in page" card; throws what `begin` throws (e.g. the authority is unreachable). */
export async function beginSignInCard(s: FlowServices, turn: ActionTurn, request: SignInRequest): Promise<AdaptiveCardJson> {
  if (!s.signIn) throw new Error('Microsoft 365 sign-in is not configured');
  const started = await s.signIn.begin({
    tenantId: turn.tenantId,
    requestedBy: { id: turn.user.id, ...(turn.user.aadObjectId ? { aadObjectId: turn.user.aadObjectId } : {}), ...(turn.user.name ? { name: turn.user.name } : {}) },
    conversation: turn.conversationRef ?? { conversation: { id: turn.conversationId } },
    system: request.system, url: request.url, name: request.name,
    ...(request.timeZone ? { timeZone: request.timeZone } : {}),
    ...(request.connectionId ? { connectionId: request.connectionId } : {}),
  });
  const where = request.system === 'outlook' ? 'whose calendar the events should go into' : `PlanBridge should use for ${request.url}`;
  return notice(`Sign in to ${SYSTEM_NAME[request.system]}`, `Open the sign-in page and sign in with the account ${where}. I will post the result here.`, {
    details: [`The link works until ${started.expiresAt.slice(11, 16)} UTC and only once.`],
    link: { title: 'Sign in with Microsoft 365', url: started.startUrl },
  });
}

/** Shown where a form offers sign-in but this deployment has no Entra app for it. */
export const SIGN_IN_UNAVAILABLE = 'Microsoft 365 sign-in is not set up on this PlanBridge (PWA_OAUTH_CLIENT_ID). Paste an access token instead, or ask your administrator.';
