/**
 * The plan systems PlanBridge links to Azure DevOps, by connection kind: their names in chat and
 * what only one of them has. Flows ask here rather than testing `kind === 'pwa'` inline, so a
 * sentence never names Project Web App for a Planner premium plan.
 */
import type { ConnectionDocument, ConnectionKind } from '../store/index.js';

export type PlanKind = Extract<ConnectionKind, 'pwa' | 'planner'>;
export const PLAN_KINDS: readonly PlanKind[] = ['pwa', 'planner'];

const NAMES: Record<ConnectionKind, string> = { ado: 'Azure DevOps', pwa: 'Project Web App', planner: 'Planner premium', outlook: 'Outlook (Microsoft 365)' };

export function systemName(kind: ConnectionKind): string {
  return NAMES[kind] ?? kind;
}

export function isPlanConnection(c: Pick<ConnectionDocument, 'kind'>): c is Pick<ConnectionDocument, 'kind'> & { kind: PlanKind } {
  return (PLAN_KINDS as readonly string[]).includes(c.kind);
}

/** A bare access token (no Microsoft 365 sign-in behind it): it lapses within about an hour and is never renewed. */
export function signsInWithBareToken(c: Pick<ConnectionDocument, 'kind' | 'auth'>): boolean {
  return c.kind !== 'ado' && c.auth.type === 'oauth' && !c.auth.clientId;
}

/** Made by Microsoft 365 sign-in: PlanBridge keeps the sealed sign-in and renews its tokens. */
export function signsInWithMicrosoft365(c: Pick<ConnectionDocument, 'kind' | 'auth'>): boolean {
  return c.kind !== 'ado' && c.auth.type === 'oauth' && c.auth.clientId !== undefined && !c.auth.appOnly;
}

/** Acts as PlanBridge's own Entra app (app-only tokens it gets and renews itself; Outlook app access): no user, nothing sealed. */
export function actsAsPlanBridgeApp(c: Pick<ConnectionDocument, 'kind' | 'auth'>): boolean {
  return c.kind !== 'ado' && c.auth.type === 'oauth' && c.auth.clientId !== undefined && c.auth.appOnly === true;
}
