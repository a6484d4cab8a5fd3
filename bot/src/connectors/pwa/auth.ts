/**
 * How PlanBridge signs in to PWA.
 * - `oauth`: Project Online / SharePoint delegated OAuth. The token comes from a provider the
 *   caller owns (MSAL with the encrypted refresh token); PnP sends it as a Bearer header.
 * - `onprem`: Project Server on-premises with Basic authentication over HTTPS (the web
 *   application must allow Basic); writes carry a form digest from `/_api/contextinfo`.
 */
export type PwaAuth =
  | { kind: 'oauth'; getAccessToken: () => Promise<string> }
  | { kind: 'onprem'; username: string; password: string };

/** Names the method for messages, never the secret. */
export function describeAuth(auth: PwaAuth): string {
  return auth.kind === 'oauth' ? 'OAuth (Microsoft 365 sign-in)' : `on-premises credentials for ${auth.username}`;
}

export async function authorizationHeader(auth: PwaAuth): Promise<string> {
  if (auth.kind === 'oauth') return `Bearer ${await auth.getAccessToken()}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}
