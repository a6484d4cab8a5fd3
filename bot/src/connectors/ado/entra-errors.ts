import { AdoConnectorError } from './errors.js';

/**
 * What Microsoft Entra ID said when it would not issue a token for Azure DevOps, in words a person
 * can act on. @azure/identity wraps MSAL's errors, so the AADSTS code is read from the message
 * (and its cause). Secrets never appear: Entra's descriptions do not echo them.
 */
const ADVICE: Record<number, string> = {
  90002: 'Entra ID does not know that tenant. Check the tenant (directory) id on the app registration\'s Overview page.',
  700016: 'Entra ID has no app with that client id in the tenant. Check the application (client) id and the tenant id.',
  7000215: 'Entra ID refused the client secret. Paste the secret\'s Value (not its Secret ID), or create a new secret under Certificates & secrets.',
  7000222: 'The client secret has expired. Create a new one under the app registration\'s Certificates & secrets.',
  700027: 'Entra ID refused the certificate: upload it to the app registration (Certificates & secrets > Certificates) and paste the same certificate with its private key.',
  700024: 'The certificate assertion was outside its valid time: check this server\'s clock.',
  500011: 'The Azure DevOps resource is not known in that tenant. Check the tenant id; Azure DevOps must be backed by this Entra tenant.',
  1002012: 'The token request asked for the wrong scope.',
};

export function entraTokenError(err: unknown, what: string): AdoConnectorError {
  if (err instanceof AdoConnectorError) return err;
  const e = err as { name?: string; message?: string; cause?: { message?: string }; code?: string } | null;
  const text = `${e?.message ?? ''} ${e?.cause?.message ?? ''}`;
  const code = Number(/AADSTS(\d+)/.exec(text)?.[1] ?? NaN);
  if (ADVICE[code]) {
    return new AdoConnectorError('entra-rejected', `Microsoft Entra ID would not give PlanBridge a token for ${what} (AADSTS${code}). ${ADVICE[code]}`, { needsAttention: true, serverMessage: `AADSTS${code}` });
  }
  if (e?.name === 'CredentialUnavailableError') {
    return new AdoConnectorError('entra-rejected', `No managed identity is available to PlanBridge here, so it cannot get a token for ${what}. Turn on the App Service's identity, or connect with a service principal instead.`, { needsAttention: true });
  }
  if (/PEM|DECODER|asn1|private key/i.test(text)) {
    return new AdoConnectorError('invalid-request', 'The certificate could not be read: paste the certificate and its private key (unencrypted) as one PEM: the CERTIFICATE block, then the PRIVATE KEY block.');
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|self.signed|unable to verify|network/i.test(`${text} ${e?.code ?? ''}`)) {
    return new AdoConnectorError('unreachable', `Could not reach Microsoft Entra ID to get a token for ${what}. Check the network (and, locally, that "npm run sim" runs), then try again.`);
  }
  return new AdoConnectorError('entra-rejected', `Microsoft Entra ID would not give PlanBridge a token for ${what}. Check the tenant id, client id and credential of the service principal.`, { needsAttention: true });
}
