import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { StoreError } from '../errors.js';

/**
 * AES-256-GCM for PATs, passwords and refresh tokens at rest. Each ciphertext records the id of
 * the key that sealed it, so several keys can be in use during a rotation. The `context` (for
 * example "connection:<tenant>:<id>") is bound as associated data: a ciphertext copied onto
 * another record does not decrypt. Error messages name key ids only, never plaintext,
 * ciphertext or key material.
 */
export interface EncryptedSecret {
  alg: 'A256GCM';
  /** Key id: a fingerprint of the key, see keyIdOf. */
  kid: string;
  iv: string;
  tag: string;
  ct: string;
}

export interface Keyring {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export const KEY_BYTES = 32;

export class SecretError extends StoreError {}

/** Stable id of a key, the same wherever the key comes from (env, Key Vault, key file). */
export function keyIdOf(key: Buffer): string {
  return `k${createHash('sha256').update('planbridge-secret-key-id\u0000').update(key).digest('hex').slice(0, 16)}`;
}

export function parseKey(base64: string, where: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new SecretError(`${where} must be ${KEY_BYTES} bytes, base64-encoded (got ${key.length} bytes; try: openssl rand -base64 32)`);
  return key;
}

export function generateKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function keyringOf(active: Buffer, others: Buffer[] = []): Keyring {
  const keys = new Map<string, Buffer>();
  for (const k of [active, ...others]) keys.set(keyIdOf(k), k);
  return { activeKeyId: keyIdOf(active), keys };
}

export function isEncryptedSecret(value: unknown): value is EncryptedSecret {
  const v = value as Partial<EncryptedSecret> | null;
  return typeof v === 'object' && v !== null && v.alg === 'A256GCM' && typeof v.kid === 'string' && typeof v.iv === 'string' && typeof v.tag === 'string' && typeof v.ct === 'string';
}

export class SecretBox {
  #keyring: Keyring;
  readonly #reload: (() => Promise<Keyring>) | undefined;

  /** `reload` fetches the keyring again when a ciphertext names a key we do not hold (rotated elsewhere). */
  constructor(keyring: Keyring, reload?: () => Promise<Keyring>) {
    if (!keyring.keys.has(keyring.activeKeyId)) throw new SecretError(`the active secret key ${keyring.activeKeyId} is not in the keyring`);
    this.#keyring = keyring;
    this.#reload = reload;
  }

  get activeKeyId(): string {
    return this.#keyring.activeKeyId;
  }

  get keyIds(): string[] {
    return [...this.#keyring.keys.keys()];
  }

  encrypt(plaintext: string, context: string): EncryptedSecret {
    const kid = this.#keyring.activeKeyId;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#keyring.keys.get(kid)!, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { alg: 'A256GCM', kid, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') };
  }

  async decrypt(secret: EncryptedSecret, context: string): Promise<string> {
    if (!isEncryptedSecret(secret)) throw new SecretError('stored secret is not in the expected AES-256-GCM format');
    let key = this.#keyring.keys.get(secret.kid);
    if (!key && this.#reload) {
      this.#keyring = await this.#reload();
      key = this.#keyring.keys.get(secret.kid);
    }
    if (!key) {
      throw new SecretError(`stored secret was encrypted with key ${secret.kid}, which this instance does not have (it has ${this.keyIds.join(', ')}); provide that key (see "Secrets" in the README) or re-enter the credential`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(secret.iv, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(secret.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(secret.ct, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretError(`stored secret did not decrypt with key ${secret.kid}: the key is wrong or the record was altered or moved; re-enter the credential`);
    }
  }

  needsRotation(secret: EncryptedSecret): boolean {
    return secret.kid !== this.#keyring.activeKeyId;
  }

  /** The same secret sealed under the active key (unchanged if it already is). */
  async rotate(secret: EncryptedSecret, context: string): Promise<EncryptedSecret> {
    if (!this.needsRotation(secret)) return secret;
    return this.encrypt(await this.decrypt(secret, context), context);
  }

  // Keys must never reach a log line or a serialized object.
  toJSON(): string {
    return `[SecretBox active=${this.activeKeyId}]`;
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}
