import { ConfidentialClientApplication, LogLevel, type Configuration, type ICachePlugin } from '@azure/msal-node';
import type { Logger } from '../../log.js';
import { networkClientTrusting } from './network.js';
import type { M365SignInSettings } from './settings.js';

/**
 * One MSAL confidential client. The authority host is listed in knownAuthorities, so MSAL never
 * calls login.microsoftonline.com for instance discovery (it reads the authority's own OpenID
 * configuration instead). MSAL logs go to our logger at warning level with PII off.
 */
export async function createMsalApp(settings: M365SignInSettings, logger: Logger, cachePlugin?: ICachePlugin): Promise<ConfidentialClientApplication> {
  const authority = new URL(settings.authority);
  const ca = await settings.authorityCa?.();
  const config: Configuration = {
    auth: {
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      authority: authority.href.replace(/\/+$/, ''),
      knownAuthorities: [authority.host],
    },
    ...(cachePlugin ? { cache: { cachePlugin } } : {}),
    system: {
      ...(ca ? { networkClient: networkClientTrusting(ca) } : {}),
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (level, message) => {
          if (level <= LogLevel.Error) logger.error({ component: 'msal' }, message);
          else if (level === LogLevel.Warning) logger.warn({ component: 'msal' }, message);
        },
      },
    },
  };
  return new ConfidentialClientApplication(config);
}
