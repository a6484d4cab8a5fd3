export { M365SignInError, M365SignInRequiredError, type SignInProblem } from './errors.js';
export { networkClientTrusting } from './network.js';
export { settingsFromConfig, SIGN_IN_WINDOW_MS, type M365SignInSettings } from './settings.js';
export { M365SignInService, type BeginSignInInput, type BeginSignInResult, type M365SignInDeps, type SignedInAccount, type SignInResult } from './sign-in.js';
export { M365Tokens, type M365TokenDeps } from './token-provider.js';
export { CONNECT_COMMAND, DELEGATED_PERMISSIONS, GRAPH_RESOURCE, resourceFor, scopesFor, signInSystemOf, SYSTEM_NAME } from './resources.js';
export { GRAPH_APP_SCOPE, M365AppTokens, type M365AppTokenDeps } from './app-tokens.js';
