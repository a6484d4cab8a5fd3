import { ENTRA_DEMO } from '../entra/directory.js';
import { makeUser } from './identities.js';
import type { SimServicePrincipal } from './model.js';

/**
 * Service principals added to the demo organization. Azure DevOps shows one by the app's display
 * name; its descriptor starts `aadsp.` and it holds a Basic licence like a user
 * (service-principal-managed-identity.md). Only the demo SP is added: ENTRA_DEMO's "outsider"
 * exists in the tenant but not here, so its tokens are refused.
 */
export function demoServicePrincipals(): SimServicePrincipal[] {
  const sp = ENTRA_DEMO.adoServicePrincipal;
  return [servicePrincipal(sp.objectId, sp.clientId, sp.displayName, ['app_token'])];
}

export function servicePrincipal(originId: string, appId: string, displayName: string, scopes: string[]): SimServicePrincipal {
  const identity = { ...makeUser(originId, displayName, appId), descriptor: `aadsp.${Buffer.from(originId).toString('base64url')}` };
  return { originId, appId, identity, scopes };
}
