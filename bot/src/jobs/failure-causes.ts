/**
 * Why a run failed, in words a user can act on. Connectors throw errors with a `code` string
 * (PlanConnectorError for Project Web App, AdoConnectorError for Azure DevOps, OutlookError for
 * Microsoft Graph); this module maps
 * them to a small set of causes the failure card knows how to explain. Extend CAUSE_RULES to teach
 * it a new code; nothing else needs to change.
 */
import { AdoConnectorError } from '../connectors/ado/index.js';
import { OutlookError } from '../connectors/outlook/index.js';
import { PlanConnectorError } from '../connectors/ppm.js';

export type FailureCause =
  | 'pat-expired'
  | 'ado-sign-in'
  | 'missing-scope'
  | 'ado-throttled'
  | 'plan-checked-out'
  | 'plan-sign-in'
  | 'outlook-access'
  | 'outlook-throttled'
  | 'network'
  | 'other';

export interface ClassifiedFailure {
  readonly cause: FailureCause;
  /** One plain sentence for the card's title. */
  readonly headline: string;
  /** The connector's own message (already written for users, free of secrets); absent for unknown errors. */
  readonly detail?: string;
  /** A person must fix something (a connection); retrying alone will not help. */
  readonly needsAttention: boolean;
  /** Who holds the plan project, when it is checked out. */
  readonly checkedOutBy?: string;
  /** The connector code it came from, for logs. */
  readonly code?: string;
}

type System = 'ado' | 'pwa' | 'outlook' | 'any';

interface CauseRule {
  readonly system: System;
  readonly codes: readonly string[];
  readonly cause: FailureCause;
}

/** The one mapping table: connector error codes -> causes. First match wins. */
export const CAUSE_RULES: readonly CauseRule[] = [
  { system: 'ado', codes: ['pat-expired', 'pat-rejected', 'unauthorized'], cause: 'pat-expired' },
  { system: 'ado', codes: ['pat-policy', 'entra-rejected', 'principal-rejected'], cause: 'ado-sign-in' },
  { system: 'ado', codes: ['missing-scope'], cause: 'missing-scope' },
  { system: 'ado', codes: ['throttled'], cause: 'ado-throttled' },
  { system: 'ado', codes: ['network', 'unreachable', 'unavailable'], cause: 'network' },
  { system: 'pwa', codes: ['checked-out'], cause: 'plan-checked-out' },
  { system: 'pwa', codes: ['auth-failed', 'not-licensed'], cause: 'plan-sign-in' },
  { system: 'pwa', codes: ['unreachable'], cause: 'network' },
  { system: 'outlook', codes: ['auth-failed', 'missing-permission', 'access-policy', 'mailbox-not-enabled', 'mailbox-not-found'], cause: 'outlook-access' },
  { system: 'outlook', codes: ['throttled'], cause: 'outlook-throttled' },
  { system: 'outlook', codes: ['unreachable'], cause: 'network' },
  // Node's own socket errors, from whichever side.
  { system: 'any', codes: ['ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT'], cause: 'network' },
];

export const HEADLINES: Readonly<Record<FailureCause, string>> = {
  'pat-expired': 'The Azure DevOps personal access token has expired or was revoked.',
  'ado-sign-in': 'Azure DevOps no longer accepts the saved sign-in (a PAT its policy refuses, or a service principal it does not accept).',
  'missing-scope': 'The Azure DevOps personal access token is missing a scope PlanBridge needs.',
  'ado-throttled': 'Azure DevOps is rate-limiting requests, so the sync stopped.',
  'plan-checked-out': 'The project in Project Web App is checked out by someone else.',
  'plan-sign-in': 'Project Web App no longer accepts the saved sign-in.',
  'outlook-access': 'Microsoft Graph no longer accepts the Outlook connection, or it may not write that calendar.',
  'outlook-throttled': 'Microsoft Graph is throttling requests to the calendar, so the sync stopped.',
  network: 'PlanBridge could not reach a system it syncs with (network failure).',
  other: 'The sync failed for an unexpected reason.',
};

const NEEDS_ATTENTION: ReadonlySet<FailureCause> = new Set(['pat-expired', 'ado-sign-in', 'missing-scope', 'plan-sign-in', 'outlook-access']);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  details?: { checkedOutBy?: unknown; needsAttention?: unknown };
}

function systemOf(err: unknown): System {
  if (err instanceof PlanConnectorError) return 'pwa';
  if (err instanceof AdoConnectorError) return 'ado';
  if (err instanceof OutlookError) return 'outlook';
  return 'any';
}

/** Classifies what a run threw. Unknown errors become 'other' and their message is not shown (it may hold anything). */
export function classifyFailure(error: unknown): ClassifiedFailure {
  const err = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const system = systemOf(error);
  // fetch() wraps socket errors: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }).
  const inner = (typeof err.cause === 'object' && err.cause !== null ? err.cause : {}) as ErrorShape;
  const code = typeof err.code === 'string' ? err.code : typeof inner.code === 'string' ? inner.code : undefined;
  const rule = code === undefined ? undefined : CAUSE_RULES.find((r) => r.codes.includes(code) && (r.system === 'any' || r.system === system || system === 'any'));
  const cause = rule?.cause ?? 'other';
  const fromConnector = system !== 'any' && typeof err.message === 'string';
  const checkedOutBy = typeof err.details?.checkedOutBy === 'string' ? err.details.checkedOutBy : undefined;
  return {
    cause,
    headline: HEADLINES[cause],
    ...(fromConnector ? { detail: err.message as string } : {}),
    needsAttention: NEEDS_ATTENTION.has(cause) || err.details?.needsAttention === true,
    ...(checkedOutBy ? { checkedOutBy } : {}),
    ...(code ? { code } : {}),
  };
}
