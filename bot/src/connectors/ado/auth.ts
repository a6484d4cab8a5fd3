import * as azdev from 'azure-devops-node-api';
import type http from 'node:http';
import type { IRequestHandler } from 'azure-devops-node-api/interfaces/common/VsoBaseInterfaces.js';
import type { AdoTokenSource } from './token-source.js';

/**
 * How the connector proves who it is to Azure DevOps: a PAT (Basic, for Services and Server) or a
 * bearer token from Microsoft Entra ID (Services only; notes: "Azure DevOps Server has no Entra
 * tokens"). Global PATs are gone and organizations can refuse PATs, so Entra is the durable choice.
 */
export type AdoCredentials =
  | { kind: 'pat'; pat: string }
  | { kind: 'entra'; tokens: AdoTokenSource };

export type AdoCredentialKind = AdoCredentials['kind'];

/**
 * One request handler for every client of a session. The library's handlers are synchronous and
 * fixed at construction, so the bearer variant sends whatever token `refresh()` fetched last; the
 * session awaits `refresh()` before each call.
 */
export class AdoAuthHandler implements IRequestHandler {
  readonly kind: AdoCredentialKind;
  private bearer = '';
  private readonly pat?: IRequestHandler;

  constructor(private readonly credentials: AdoCredentials) {
    this.kind = credentials.kind;
    if (credentials.kind === 'pat') this.pat = azdev.getPersonalAccessTokenHandler(credentials.pat);
  }

  /** Makes sure the next request carries a token that is not about to expire (no-op for a PAT). */
  async refresh(): Promise<void> {
    if (this.credentials.kind === 'entra') this.bearer = await this.credentials.tokens.token();
  }

  /** After a 401 to a bearer token: forget it, so the next attempt gets a new one. */
  invalidate(): boolean {
    if (this.credentials.kind !== 'entra') return false;
    this.credentials.tokens.invalidate();
    return true;
  }

  prepareRequest(options: http.RequestOptions): void {
    if (this.pat) return this.pat.prepareRequest(options);
    options.headers ??= {};
    (options.headers as Record<string, string>).Authorization = `Bearer ${this.bearer}`;
    // Ask for a 401 instead of the 203 sign-in page, as the library's own bearer handler does.
    (options.headers as Record<string, string>)['X-TFS-FedAuthRedirect'] = 'Suppress';
  }

  canHandleAuthentication(): boolean {
    return false;
  }

  handleAuthentication(): Promise<never> {
    return Promise.reject(new Error('Azure DevOps authentication is not negotiated'));
  }
}
