/**
 * How PlanBridge signs in to PWA.
 * - `oauth`: Project Online / SharePoint delegated OAuth. The token comes from a provider the
 *   caller owns (MSAL with the encrypted refresh token); PnP sends it as a Bearer header.
 * - `onprem`: Project Server on-premises with Basic authentication over HTTPS (the web
 *   application must allow Basic); writes carry a form digest from `/_api/contextinfo`.
 * - `ntlm`: Project Server on-premises with Windows authentication (the default of Project
 *   Server Subscription Edition); the NTLM fetch (ntlm/) signs the connection in, and writes
 *   carry a form digest as with Basic.
 */
export type PwaAuth =
  | { kind: 'oauth'; getAccessToken: () => Promise<string> }
  | { kind: 'onprem'; username: string; password: string }
  | { kind: 'ntlm'; username: string; password: string };

/** Methods that are not OAuth need a form digest for writes, as SharePoint asks of them. */
export const needsFormDigest = (auth: PwaAuth): boolean => auth.kind !== 'oauth';

/** Names the method for messages, never the secret. */
export function describeAuth(auth: PwaAuth): string {
  if (auth.kind === 'oauth') return 'OAuth (Microsoft 365 sign-in)';
  return auth.kind === 'ntlm' ? `Windows sign-in (NTLM) for ${auth.username}` : `on-premises credentials for ${auth.username}`;
}

/** The Authorization header of a request; none for NTLM, whose fetch signs the connection in. */
export async function authorizationHeader(auth: PwaAuth): Promise<string | undefined> {
  if (auth.kind === 'oauth') return `Bearer ${await auth.getAccessToken()}`;
  if (auth.kind === 'ntlm') return undefined;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}
