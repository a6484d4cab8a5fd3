import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

/** PLANBRIDGE_TENANT_ADMINS: who may manage connections they do not own. */
describe('PLANBRIDGE_TENANT_ADMINS', () => {
  it('is nobody by default', () => {
    expect([...loadConfig({}).tenantAdmins]).toEqual([]);
  });

  it('reads comma-separated Entra object ids, in any case, ignoring spaces', () => {
    const admins = loadConfig({ PLANBRIDGE_TENANT_ADMINS: ' 00000000-0000-4000-8000-0000000000C3 ,, 00000000-0000-4000-8000-0000000000d4' }).tenantAdmins;
    expect([...admins]).toEqual(['00000000-0000-4000-8000-0000000000c3', '00000000-0000-4000-8000-0000000000d4']);
  });

  it('refuses names or emails, which a user could take or change, naming the variable', () => {
    expect(() => loadConfig({ PLANBRIDGE_TENANT_ADMINS: 'ada@contoso.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ PLANBRIDGE_TENANT_ADMINS: 'ada@contoso.com' })).toThrow(/PLANBRIDGE_TENANT_ADMINS must list Entra object ids \(GUIDs\).*not: ada@contoso\.com/);
  });
});
