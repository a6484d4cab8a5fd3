import { randomBytes } from 'node:crypto';
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { SecretBox, keyIdOf, keyringOf, type EncryptedSecret } from '../../src/store/secrets/secret-box.js';
import { KEY_VAULT_SECRET_NAME, LOCAL_KEY_FILE, chooseKeySource, type KeyVaultSecrets } from '../../src/store/secrets/key-sources.js';
import { createLogger } from '../../src/log.js';
import { openTestStore, tenant, type TestStore } from './support.js';

// Every credential these tests use; the log check at the end looks for each of them.
const SECRETS = ['pat-9b7d1e-secret-test-value', 'correct horse battery staple', 'refresh-token-1f2e3d'];

describe('secret encryption', () => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);

  it('ciphertext never contains the plaintext, in any encoding', () => {
    const box = new SecretBox(keyringOf(keyA));
    for (const secret of SECRETS) {
      const sealed = box.encrypt(secret, 'connection:t:c');
      const stored = JSON.stringify(sealed);
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(Buffer.from(secret).toString('base64'));
      expect(stored).not.toContain(Buffer.from(secret).toString('hex'));
      expect(sealed.kid).toBe(keyIdOf(keyA));
    }
    // Same plaintext twice gives different ciphertexts (fresh IV).
    expect(box.encrypt(SECRETS[0]!, 'c').ct).not.toBe(box.encrypt(SECRETS[0]!, 'c').ct);
  });

  it('a wrong key fails loudly, naming the key id and nothing secret', async () => {
    const sealed = new SecretBox(keyringOf(keyA)).encrypt(SECRETS[0]!, 'ctx');
    const impostor: EncryptedSecret = { ...sealed, kid: keyIdOf(keyB) };
    const wrongKey = new SecretBox(keyringOf(keyB));
    const err = await wrongKey.decrypt(impostor, 'ctx').then(() => undefined, (e: unknown) => e as Error);
    expect(err?.message).toMatch(/did not decrypt with key k[0-9a-f]{16}/);
    expect(err?.message).not.toContain(SECRETS[0]);
    expect(err?.message).not.toContain(sealed.ct);
    await expect(wrongKey.decrypt(sealed, 'ctx')).rejects.toThrow(/encrypted with key k[0-9a-f]{16}, which this instance does not have/);
  });

  it('tampered ciphertext and a different context are refused', async () => {
    const box = new SecretBox(keyringOf(keyA));
    const sealed = box.encrypt(SECRETS[1]!, 'connection:t:1');
    const flipped = Buffer.from(sealed.ct, 'base64');
    flipped[0]! ^= 1;
    await expect(box.decrypt({ ...sealed, ct: flipped.toString('base64') }, 'connection:t:1')).rejects.toThrow(/did not decrypt/);
    await expect(box.decrypt(sealed, 'connection:t:2')).rejects.toThrow(/did not decrypt/);
    expect(await box.decrypt(sealed, 'connection:t:1')).toBe(SECRETS[1]);
  });

  it('keeps key material out of JSON and inspection', () => {
    const box = new SecretBox(keyringOf(keyA));
    expect(JSON.stringify({ box })).not.toContain(keyA.toString('base64'));
    expect(String(JSON.stringify(box))).toMatch(/SecretBox active=k/);
  });

  it('reloads the keyring when a ciphertext names a key rotated in elsewhere', async () => {
    const newer = new SecretBox(keyringOf(keyB, [keyA]));
    const sealed = newer.encrypt(SECRETS[2]!, 'ctx');
    const stale = new SecretBox(keyringOf(keyA), async () => keyringOf(keyB, [keyA]));
    expect(await stale.decrypt(sealed, 'ctx')).toBe(SECRETS[2]);
  });
});

describe('secret keys', () => {
  it('local mode creates a key file with mode 0600 on first start and reuses it', async () => {
    const t = await openTestStore();
    try {
      const file = join(t.dataDir, LOCAL_KEY_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const firstKeyId = t.store.secrets.activeKeyId;
      const tenantId = tenant();
      const c = await t.store.connections.create(tenantId, { kind: 'ado', name: 'x', url: 'https://dev.azure.com/x', auth: { type: 'pat' }, secret: SECRETS[0] });
      await t.store.close();
      const reopened = await openStore(t.options);
      try {
        expect(reopened.secrets.activeKeyId).toBe(firstKeyId);
        expect(await reopened.connections.revealSecret((await reopened.connections.get(tenantId, c.id))!)).toBe(SECRETS[0]);
      } finally {
        await reopened.close();
      }
      expect(readFileSync(file, 'utf8')).not.toContain(SECRETS[0]);
    } finally {
      await t.dispose();
    }
  });

  it('PLANBRIDGE_SECRET_KEY is used when set, and a different key cannot read what it sealed', async () => {
    const key = randomBytes(32).toString('base64');
    const t = await openTestStore({ secretKey: key });
    try {
      expect(t.store.secrets.activeKeyId).toBe(keyIdOf(Buffer.from(key, 'base64')));
      const tenantId = tenant();
      const c = await t.store.connections.create(tenantId, { kind: 'ado', name: 'x', url: 'https://dev.azure.com/x', auth: { type: 'pat' }, secret: SECRETS[0] });
      await t.store.close();
      const other = await openStore({ ...t.options, secretKey: randomBytes(32).toString('base64') });
      try {
        const stored = (await other.connections.get(tenantId, c.id))!;
        await expect(other.connections.revealSecret(stored)).rejects.toThrow(/which this instance does not have/);
      } finally {
        await other.close();
      }
    } finally {
      await t.dispose();
    }
  });

  it('refuses a key of the wrong length', async () => {
    const t = await openTestStore();
    await t.store.close();
    try {
      await expect(openStore({ ...t.options, secretKey: Buffer.alloc(16).toString('base64') })).rejects.toThrow(/must be 32 bytes, base64-encoded \(got 16 bytes/);
    } finally {
      await t.dispose();
    }
  });

  it('Key Vault: creates the key on first use, the newest enabled version is active, older ones still decrypt', async () => {
    const vault = new FakeVault();
    const source = chooseKeySource({ keyVaultUri: 'https://planbridge-kv.vault.azure.net/', dataDir: '/nonexistent', logger: createLogger({ level: 'silent' }), keyVault: vault });
    const first = await source.load();
    expect(vault.versions).toHaveLength(1);
    const newKey = randomBytes(32);
    await source.addKey!(newKey);
    vault.versions.push({ version: 'disabled', enabled: false, createdOn: new Date(Date.now() + 10_000), value: randomBytes(32).toString('base64') });
    const second = await source.load();
    expect(second.activeKeyId).toBe(keyIdOf(newKey));
    expect([...second.keys.keys()].sort()).toEqual([first.activeKeyId, keyIdOf(newKey)].sort());
  });
});

describe('rotation', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('re-encrypts every stored credential under the new key, across tenants, and they still decrypt', async () => {
    const tenants = [tenant(), tenant()];
    const created = [];
    for (const [i, tenantId] of tenants.entries()) {
      created.push(await t.store.connections.create(tenantId, { kind: 'ado', name: 'ado', url: 'https://dev.azure.com/x', auth: { type: 'pat' }, secret: SECRETS[i]! }));
    }
    await t.store.connections.create(tenants[0]!, { kind: 'pwa', name: 'no secret', url: 'https://p', auth: { type: 'oauth' } });
    const oldKeyId = t.store.secrets.activeKeyId;
    await t.store.close();

    // What `npm run secrets:rotate` does in local mode: a new active key in the key file, then re-encryption.
    const source = chooseKeySource({ dataDir: t.dataDir, logger: t.logger });
    await source.addKey!(randomBytes(32));
    t.store = await openStore(t.options);
    expect(t.store.secrets.activeKeyId).not.toBe(oldKeyId);
    const result = await t.store.connections.reencryptAll();
    expect(result).toEqual({ scanned: 3, reencrypted: 2, failed: [] });
    for (const [i, c] of created.entries()) {
      const stored = (await t.store.connections.get(c.tenantId, c.id))!;
      expect(stored.secret?.kid).toBe(t.store.secrets.activeKeyId);
      expect(stored.secret?.ct).not.toBe(c.secret?.ct);
      expect(await t.store.connections.revealSecret(stored)).toBe(SECRETS[i]);
    }
    expect((await t.store.connections.reencryptAll()).reencrypted).toBe(0);
  });

  it('no secret used in these tests appears in the logs', () => {
    const logs = t.logText();
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of SECRETS) expect(logs).not.toContain(secret);
  });
});

class FakeVault implements KeyVaultSecrets {
  versions: { version: string; enabled: boolean; createdOn: Date; value: string }[] = [];
  private n = 0;
  async *listVersions(name: string) {
    expect(name).toBe(KEY_VAULT_SECRET_NAME);
    if (this.versions.length === 0) throw Object.assign(new Error('SecretNotFound'), { statusCode: 404 });
    for (const v of this.versions) yield { version: v.version, enabled: v.enabled, createdOn: v.createdOn };
  }
  async get(_name: string, version: string) {
    return this.versions.find((v) => v.version === version)?.value;
  }
  async set(_name: string, value: string) {
    this.versions.push({ version: `v${++this.n}`, enabled: true, createdOn: new Date(Date.now() + this.n), value });
  }
}
