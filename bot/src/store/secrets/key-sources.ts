import { closeSync, openSync, readFileSync, renameSync, statSync, writeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../log.js';
import { cosmosStatus } from '../errors.js';
import { SecretError, generateKey, keyIdOf, keyringOf, parseKey, type Keyring } from './secret-box.js';

/**
 * Where the secret-encryption key comes from, in order of precedence:
 * 1. PLANBRIDGE_SECRET_KEY (plus, during a rotation, previous keys handed to the rotate command);
 * 2. Key Vault (KEY_VAULT_URI): every enabled version of the secret `planbridge-secret-key`;
 *    the newest is active, older versions still decrypt. Created on first start if missing;
 * 3. local mode: `<dataDir>/secret-keys.json`, created with mode 0600 on first start; holds
 *    every key ever made here, the active one marked.
 * `addKey` (used by `npm run secrets:rotate`) makes a new key active where that is possible.
 */
export const KEY_VAULT_SECRET_NAME = 'planbridge-secret-key';
export const LOCAL_KEY_FILE = 'secret-keys.json';

export interface KeySource {
  readonly kind: 'env' | 'key-vault' | 'local-file';
  /** Human-readable place, without key material. */
  readonly where: string;
  load(): Promise<Keyring>;
  /** Stores `key` as the new active key. Not possible for env keys (the operator sets the variable). */
  addKey?(key: Buffer): Promise<void>;
}

export interface KeySourceOptions {
  secretKey?: string;
  previousSecretKeys?: string[];
  keyVaultUri?: string;
  dataDir: string;
  logger: Logger;
  /** Seam for tests; defaults to @azure/keyvault-secrets with DefaultAzureCredential. */
  keyVault?: KeyVaultSecrets;
}

export function chooseKeySource(options: KeySourceOptions): KeySource {
  if (options.secretKey !== undefined) return envKeySource(options.secretKey, options.previousSecretKeys ?? []);
  if (options.keyVaultUri !== undefined) return keyVaultKeySource(options.keyVaultUri, options.keyVault);
  return localFileKeySource(join(options.dataDir, LOCAL_KEY_FILE), options.logger);
}

function envKeySource(secretKey: string, previous: string[]): KeySource {
  return {
    kind: 'env',
    where: 'PLANBRIDGE_SECRET_KEY',
    load: async () => keyringOf(parseKey(secretKey, 'PLANBRIDGE_SECRET_KEY'), previous.map((p, i) => parseKey(p, `previous secret key #${i + 1}`))),
  };
}

/** The part of SecretClient we use, so tests can stand in for Key Vault. */
export interface KeyVaultSecrets {
  listVersions(name: string): AsyncIterable<{ version?: string; enabled?: boolean; createdOn?: Date }>;
  get(name: string, version: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
}

async function defaultKeyVault(uri: string): Promise<KeyVaultSecrets> {
  const { SecretClient } = await import('@azure/keyvault-secrets');
  const { DefaultAzureCredential } = await import('@azure/identity');
  const client = new SecretClient(uri, new DefaultAzureCredential());
  return {
    listVersions: (name) => client.listPropertiesOfSecretVersions(name),
    get: async (name, version) => (await client.getSecret(name, { version })).value,
    set: async (name, value) => {
      await client.setSecret(name, value, { contentType: 'application/octet-stream;base64' });
    },
  };
}

function keyVaultKeySource(uri: string, injected?: KeyVaultSecrets): KeySource {
  let vault: Promise<KeyVaultSecrets> | undefined;
  const client = () => (vault ??= injected ? Promise.resolve(injected) : defaultKeyVault(uri));
  const where = `Key Vault ${new URL(uri).host}, secret ${KEY_VAULT_SECRET_NAME}`;
  const readVersions = async (kv: KeyVaultSecrets) => {
    const versions: { version: string; createdOn: number }[] = [];
    try {
      for await (const p of kv.listVersions(KEY_VAULT_SECRET_NAME)) {
        if (p.enabled !== false && p.version) versions.push({ version: p.version, createdOn: p.createdOn?.getTime() ?? 0 });
      }
    } catch (err) {
      if (cosmosStatus(err) !== 404 && (err as { statusCode?: number }).statusCode !== 404) {
        throw new SecretError(`could not read the secret key from ${where}: ${(err as Error).message?.split('\n')[0] ?? 'error'} (check KEY_VAULT_URI and that the app identity may get and list secrets)`, { cause: err });
      }
    }
    return versions.sort((a, b) => b.createdOn - a.createdOn);
  };
  return {
    kind: 'key-vault',
    where,
    async load() {
      const kv = await client();
      let versions = await readVersions(kv);
      if (versions.length === 0) {
        await kv.set(KEY_VAULT_SECRET_NAME, generateKey().toString('base64'));
        versions = await readVersions(kv);
      }
      const keys: Buffer[] = [];
      for (const v of versions) {
        const value = await kv.get(KEY_VAULT_SECRET_NAME, v.version);
        if (value !== undefined) keys.push(parseKey(value, `${where} (version ${v.version})`));
      }
      if (keys.length === 0) throw new SecretError(`${where} has no enabled version holding a key`);
      return keyringOf(keys[0]!, keys.slice(1));
    },
    async addKey(key) {
      await (await client()).set(KEY_VAULT_SECRET_NAME, key.toString('base64'));
    },
  };
}

interface KeyFile {
  active: string;
  keys: { id: string; key: string; createdAt: string }[];
}

function localFileKeySource(file: string, logger: Logger): KeySource {
  const read = (): KeyFile | undefined => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const parsed = JSON.parse(text) as KeyFile;
    if (typeof parsed.active !== 'string' || !Array.isArray(parsed.keys)) throw new SecretError(`${file} is not a PlanBridge key file`);
    return parsed;
  };
  const toKeyring = (kf: KeyFile): Keyring => {
    const keys = new Map<string, Buffer>();
    for (const k of kf.keys) keys.set(keyIdOf(parseKey(k.key, `${file} key ${k.id}`)), parseKey(k.key, `${file} key ${k.id}`));
    if (!keys.has(kf.active)) throw new SecretError(`${file} marks key ${kf.active} active but does not hold it`);
    return { activeKeyId: kf.active, keys };
  };
  const entry = (key: Buffer) => ({ id: keyIdOf(key), key: key.toString('base64'), createdAt: new Date().toISOString() });
  return {
    kind: 'local-file',
    where: file,
    async load() {
      let kf = read();
      if (!kf) {
        const key = generateKey();
        const created = writeKeyFile(file, { active: keyIdOf(key), keys: [entry(key)] }, 'wx');
        kf = created ? { active: keyIdOf(key), keys: [entry(key)] } : read()!; // lost a race: use the winner's
        if (created) logger.info({ file, keyId: keyIdOf(key) }, 'created local secret key file (mode 0600)');
      }
      if ((statSync(file).mode & 0o077) !== 0) logger.warn({ file }, 'secret key file is readable by other users: chmod 600 it');
      return toKeyring(kf);
    },
    async addKey(key) {
      const kf = read() ?? { active: keyIdOf(key), keys: [] };
      if (!kf.keys.some((k) => k.id === keyIdOf(key))) kf.keys.push(entry(key));
      kf.active = keyIdOf(key);
      writeKeyFile(file, kf, 'replace');
    },
  };
}

/** 'wx' creates only if absent (returns false if it exists); 'replace' writes a temp file and renames it. */
function writeKeyFile(file: string, content: KeyFile, mode: 'wx' | 'replace'): boolean {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  const target = mode === 'wx' ? file : `${file}.tmp`;
  let fd: number;
  try {
    fd = openSync(target, mode === 'wx' ? 'wx' : 'w', 0o600);
  } catch (err) {
    if (mode === 'wx' && (err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${JSON.stringify(content, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  if (mode === 'replace') renameSync(target, file);
  return true;
}
