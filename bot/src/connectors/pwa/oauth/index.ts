export { PwaSignInError, PwaSignInRequiredError, type SignInProblem } from './errors.js';
export { networkClientTrusting } from './network.js';
export { PWA_DELEGATED_PERMISSIONS, scopesForSite, settingsFromConfig, SIGN_IN_WINDOW_MS, type PwaOAuthSettings } from './settings.js';
export { PwaSignInService, type BeginSignInInput, type BeginSignInResult, type PwaSignInDeps, type SignedInAccount, type SignInResult } from './sign-in.js';
export { PwaOAuthTokens, type PwaTokenDeps } from './token-provider.js';
