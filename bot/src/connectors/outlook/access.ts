import type { GraphClient } from './client.js';
import { OutlookError } from './errors.js';

/**
 * The access checklist of "connect outlook": whose calendar events are created in, whether that
 * mailbox is in Exchange Online, and whether the token may write calendars ("Permissions" in
 * ../shared/notes/graph-outlook-events.md). Reading one event proves the mailbox and read access;
 * write access is read from the token's own claims (`scp` or `roles`) when it is a JWT, since a
 * probe write would send nothing but could leave an event behind.
 */
export interface OutlookAccess {
  auth: 'delegated' | 'app';
  /** The calendar's owner. */
  mailbox: { id: string; displayName: string; address: string } | null;
  exchangeOnline: boolean | null;
  canRead: boolean;
  /** 'unknown' when the token is not a readable JWT. */
  canWrite: boolean | 'unknown';
  /** One sentence per problem: what is wrong and what to do. */
  problems: string[];
  /** Failures that need a person (an OutlookError with needsAttention). */
  needsAttention: boolean;
}

/** Permissions a Graph JWT carries (`scp` for delegated, `roles` for app-only), or null if unreadable. */
export function tokenPermissions(token: string): string[] | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { scp?: unknown; roles?: unknown };
    if (typeof claims.scp === 'string') return claims.scp.split(/\s+/).filter(Boolean);
    if (Array.isArray(claims.roles)) return claims.roles.map(String);
    return [];
  } catch {
    return null;
  }
}

export async function verifyAccess(client: GraphClient, mailboxPath: string, mailbox: string, token: () => Promise<string>): Promise<OutlookAccess> {
  const report: OutlookAccess = { auth: client.auth, mailbox: null, exchangeOnline: null, canRead: false, canWrite: 'unknown', problems: [], needsAttention: false };
  const note = (err: unknown): void => {
    if (!(err instanceof OutlookError)) throw err;
    report.problems.push(err.message);
    report.needsAttention ||= err.needsAttention;
  };
  try {
    const { body } = await client.call({ method: 'GET', path: mailboxPath, query: { $select: 'id,displayName,mail,userPrincipalName' }, context: { mailbox, directory: mailbox !== 'me' } });
    report.mailbox = { id: String(body.id), displayName: String(body.displayName ?? ''), address: String(body.mail ?? body.userPrincipalName ?? '') };
  } catch (err) {
    note(err);
  }
  try {
    await client.call({ method: 'GET', path: `${mailboxPath}/events`, query: { $top: '1', $select: 'id' }, context: { mailbox } });
    report.canRead = true;
    report.exchangeOnline = true;
  } catch (err) {
    if (err instanceof OutlookError && err.code === 'mailbox-not-enabled') report.exchangeOnline = false;
    note(err);
  }
  const permissions = tokenPermissions(await token().catch(() => ''));
  if (permissions) {
    report.canWrite = permissions.some((p) => p.toLowerCase() === 'calendars.readwrite');
    if (!report.canWrite) {
      report.problems.push(client.auth === 'delegated'
        ? 'The sign-in does not hold Calendars.ReadWrite, so PlanBridge cannot create events. Consent to Calendars.ReadWrite and sign in again with "connect outlook".'
        : "PlanBridge's app does not hold the application permission Calendars.ReadWrite. Grant it with admin consent in Entra ID (App registrations > API permissions).");
      report.needsAttention = true;
    }
  }
  return report;
}
