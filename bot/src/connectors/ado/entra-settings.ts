import { readFile } from 'node:fs/promises';
import type { AdoEntraConfig } from '../../config.js';
import type { EntraAuthority } from './entra-credential.js';
import { AdoConnectorError } from './errors.js';

/** The authority from the validated config; the CA file is read on first use, so the simulator may start after the bot. */
export function entraAuthorityFrom(config: Pick<AdoEntraConfig, 'authorityHost' | 'caFile' | 'source'>): EntraAuthority {
  const { caFile } = config;
  return {
    authorityHost: config.authorityHost,
    ...(caFile ? {
      ca: async () => {
        try {
          return await readFile(caFile, 'utf8');
        } catch {
          throw new AdoConnectorError('unreachable', config.source === 'local-simulator'
            ? `The Entra simulator's certificate is not at ${caFile}. Start the simulators with "npm run sim" (or "npm run dev"), then connect again.`
            : `ADO_ENTRA_CA_FILE points to ${caFile}, which cannot be read.`);
        }
      },
    } : {}),
  };
}
