import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../bot/src/config.js';
import { createLogger } from '../bot/src/log.js';
import { openStore } from '../bot/src/store/index.js';
import { chooseKeySource } from '../bot/src/store/secrets/key-sources.js';
import { generateKey, keyIdOf } from '../bot/src/store/secrets/secret-box.js';

/**
 * `npm run secrets:rotate`: re-encrypts every stored credential under a new key.
 * - Key Vault (KEY_VAULT_URI): adds a new version of the key secret, then re-encrypts. Older
 *   versions stay enabled, so running bots keep decrypting; they pick up the new version when
 *   they meet a ciphertext sealed with it.
 * - Local key file: adds a new active key to <dataDir>/secret-keys.json (old keys stay), then
 *   re-encrypts. Stop the bot first in embedded mode (it owns the database files).
 * - PLANBRIDGE_SECRET_KEY: set it to the NEW key and pass the old one(s) with
 *   --previous-key-file FILE (one base64 key per line); restart bots with the new key after.
 */
const USAGE = 'usage: npm run secrets:rotate [-- --previous-key-file FILE]';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { 'previous-key-file': { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const source = chooseKeySource({ secretKey: config.secretKey, keyVaultUri: config.keyVaultUri, dataDir: config.dataDir, logger });

  let previousSecretKeys: string[] | undefined;
  if (source.kind === 'env') {
    const file = values['previous-key-file'];
    if (!file) {
      process.stderr.write(`PLANBRIDGE_SECRET_KEY is set, so it is taken as the NEW key: pass the old key(s) with --previous-key-file FILE (one base64 key per line).\n${USAGE}\n`);
      return 2;
    }
    previousSecretKeys = readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '');
  } else {
    const key = generateKey();
    await source.addKey!(key);
    process.stdout.write(`New active key ${keyIdOf(key)} stored in ${source.where}.\n`);
  }

  const store = await openStore({ cosmos: config.cosmos, dataDir: config.dataDir, secretKey: config.secretKey, keyVaultUri: config.keyVaultUri, previousSecretKeys, logger });
  try {
    const result = await store.connections.reencryptAll();
    process.stdout.write(`Re-encrypted ${result.reencrypted} of ${result.scanned} connections under key ${store.secrets.activeKeyId} (${store.mode} database).\n`);
    for (const f of result.failed) process.stderr.write(`  could not re-encrypt connection ${f.id} of tenant ${f.tenantId}: ${f.reason}\n`);
    if (result.failed.length > 0) {
      process.stderr.write('Some credentials were not re-encrypted; keep the old key available and run the rotation again once fixed.\n');
      return 1;
    }
    return 0;
  } finally {
    await store.close();
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : `Rotation failed: ${err instanceof Error ? err.message : String(err)}`}\n`);
  process.exit(1);
});
