import type { Request, Response, Server } from 'restify';
import { M365SignInError, type M365SignInService, type SignInResult } from '../connectors/m365/index.js';
import { SYSTEM_NAME } from '../connectors/m365/resources.js';
import type { Logger } from '../log.js';
import type { PendingSignIn } from '../store/index.js';

/**
 * The browser side of a Microsoft 365 sign-in (Project Web App, Planner premium or Outlook):
 * - GET /auth/pwa/start?state=…  sends the browser to Microsoft's sign-in (the card's button opens this);
 * - GET /auth/pwa/callback       where Microsoft sends it back with a code (or an error).
 * Pages say in plain words what happened and to return to Teams; the chat hears it through
 * the notifier. Codes, states and tokens never reach logs or pages.
 */
export const SIGN_IN_PATHS = { start: '/auth/pwa/start', callback: '/auth/pwa/callback' } as const;

/**
 * Implemented by the chat side: typically a proactive message to `pending.conversation`. It checks
 * the new connection first; `connected: false` when that check refused the account (the connection
 * was not kept), so the browser page does not claim otherwise.
 */
export interface SignInNotifier {
  onSignedIn(pending: PendingSignIn, result: SignInResult): Promise<{ connected: boolean } | void>;
  onSignInFailed?(pending: PendingSignIn, problem: M365SignInError): Promise<void>;
}

export interface SignInRouteDeps {
  /** Undefined when OAuth is not configured: the routes then say so. */
  signIn: M365SignInService | undefined;
  notifier: SignInNotifier;
  logger: Logger;
}

export function registerSignInRoutes(server: Server, deps: SignInRouteDeps): void {
  const logger = deps.logger.child({ component: 'm365-sign-in' });

  server.get(SIGN_IN_PATHS.start, async (req: Request, res: Response) => {
    const params = queryOf(req);
    if (!deps.signIn) return page(res, 503, notConfigured);
    try {
      const target = await deps.signIn.authorizeUrlFor(params.get('state') ?? '');
      res.writeHead(302, { location: target, ...SAFE_HEADERS });
      res.end();
    } catch (err) {
      if (err instanceof M365SignInError) return page(res, 400, { title: 'Sign-in link not usable', message: err.message });
      logger.error({ error: err instanceof Error ? err.name : 'unknown' }, 'microsoft 365 sign-in start failed');
      page(res, 500, unexpected);
    }
  });

  server.get(SIGN_IN_PATHS.callback, async (req: Request, res: Response) => {
    const params = queryOf(req);
    if (!deps.signIn) return page(res, 503, notConfigured);
    const state = params.get('state') ?? '';
    const code = params.get('code');
    const error = params.get('error');
    try {
      if (error || !code) {
        const { pending, problem } = await deps.signIn.abandonSignIn(state, error ?? 'no_code');
        logger.info({ tenantId: pending.tenantId, signIn: pending.id, outcome: problem.problem }, 'microsoft 365 sign-in not completed');
        await notifyFailure(pending, problem);
        return page(res, 400, { title: 'Not connected', message: `${problem.message} You can close this window and return to Microsoft Teams.` });
      }
      const { pending, result } = await deps.signIn.completeSignIn(code, state);
      const system = SYSTEM_NAME[pending.draft.system];
      let connected = true;
      try {
        connected = (await deps.notifier.onSignedIn(pending, result))?.connected ?? true;
      } catch (err) {
        // The connection is saved either way; only the chat message failed.
        logger.warn({ tenantId: pending.tenantId, connectionId: result.connection.id, error: err instanceof Error ? err.name : 'unknown' }, 'could not tell the chat about the sign-in');
      }
      if (!connected) {
        return page(res, 200, {
          title: 'Signed in, but not connected',
          message: `You signed in as ${result.account.username}, but this account cannot be used with ${system}, so PlanBridge did not keep the sign-in. Microsoft Teams says why and what to do. You can close this window.`,
        });
      }
      return page(res, 200, {
        title: 'Signed in',
        message: `You are signed in as ${result.account.username}, and PlanBridge is connected to ${system} (${result.connection.name}). You can close this window and return to Microsoft Teams.`,
      });
    } catch (err) {
      if (err instanceof M365SignInError) {
        logger.info({ outcome: err.problem }, 'microsoft 365 sign-in refused');
        if (err.pending) await notifyFailure(err.pending, err);
        return page(res, 400, { title: 'Not connected', message: `${err.message} You can close this window and return to Microsoft Teams.` });
      }
      logger.error({ error: err instanceof Error ? err.name : 'unknown' }, 'microsoft 365 sign-in callback failed');
      page(res, 500, unexpected);
    }
  });

  async function notifyFailure(pending: PendingSignIn, problem: M365SignInError): Promise<void> {
    try {
      await deps.notifier.onSignInFailed?.(pending, problem);
    } catch (err) {
      logger.warn({ tenantId: pending.tenantId, error: err instanceof Error ? err.name : 'unknown' }, 'could not tell the chat about the failed sign-in');
    }
  }
}

const notConfigured = {
  title: 'Sign-in not set up',
  message: 'Microsoft 365 sign-in is not configured on this PlanBridge (PWA_OAUTH_CLIENT_ID is not set). Ask your administrator, then return to Microsoft Teams.',
};
const unexpected = {
  title: 'Something went wrong',
  message: 'PlanBridge could not finish the sign-in because of a problem on our side. Return to Microsoft Teams and try the "connect" command again (for example "connect planner").',
};

/** No caching, no referrer (the URL carries the code), no framing, no scripts. */
const SAFE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
};

function queryOf(req: Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://localhost').searchParams;
}

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(res: Response, status: number, content: { title: string; message: string }): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PlanBridge: ${escape(content.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:Segoe UI,system-ui,sans-serif;margin:0;background:#f5f5f5}main{max-width:520px;margin:10vh auto;background:#fff;padding:32px;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}h1{font-size:22px}</style>
</head><body><main><h1>${escape(content.title)}</h1><p>${escape(content.message)}</p></main></body></html>`;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...SAFE_HEADERS });
  res.end(body);
}
