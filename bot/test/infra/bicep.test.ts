import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/config.js';
import { checkParametersFile } from './arm-parameters.js';
import {
  formatProblems, literalValue, parseBicep, propertiesOf, propertyAt,
  type BicepOutline, type BicepResource, type ParsedBicep,
} from './bicep-syntax.js';

const BICEP = 'infra/azure.bicep';
const PARAMETERS = 'infra/azure.parameters.json';
const read = (file: string): string => readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8');

/** Params teamsapp.yml and azure.parameters.json pass by name. */
const CONTRACT_PARAMS = ['resourceBaseName', 'botAadAppClientId', 'botAadAppClientSecret', 'botAadAppTenantId', 'webAppSku', 'botDisplayName', 'location'];
/** Outputs teamsapp.yml reads back into env/.env.*. */
const CONTRACT_OUTPUTS = ['BOT_AZURE_APP_SERVICE_RESOURCE_ID', 'BOT_DOMAIN', 'BOT_ENDPOINT', 'COSMOS_ENDPOINT', 'KEY_VAULT_URI'];
const STORE_CONTAINERS = ['connections', 'integrations', 'links', 'runs', 'conversations', 'leases'];

let parsed: ParsedBicep;
let bicep: BicepOutline;

beforeAll(async () => {
  parsed = await parseBicep(read(BICEP));
  bicep = parsed.outline;
});

function only(type: string, name?: string): BicepResource {
  const matches = bicep.resources.filter((r) => r.type === type && (name === undefined || literalValue(propertyAt(r.body, 'name')) === name));
  expect(matches, `exactly one ${type}${name ? ` named ${name}` : ''}`).toHaveLength(1);
  return matches[0]!;
}

const text = (r: BicepResource, path: string): string | undefined => propertyAt(r.body, path)?.text;
const value = (r: BicepResource, path: string): unknown => literalValue(propertyAt(r.body, path));
const variable = (name: string): unknown => literalValue(bicep.variables.get(name));

describe(`${BICEP} syntax`, () => {
  it('parses without syntax errors or missing tokens', () => {
    expect(formatProblems(BICEP, parsed.problems)).toBe('');
  });

  it('declares every resource PlanBridge runs on, with GA api versions', () => {
    const declared = bicep.resources.filter((r) => !r.existing);
    expect(new Set(declared.map((r) => r.type))).toEqual(new Set([
      'Microsoft.Web/serverfarms',
      'Microsoft.Web/sites',
      'Microsoft.Web/sites/config',
      'Microsoft.Web/sites/basicPublishingCredentialsPolicies',
      'Microsoft.BotService/botServices',
      'Microsoft.BotService/botServices/channels',
      'Microsoft.DocumentDB/databaseAccounts',
      'Microsoft.DocumentDB/databaseAccounts/sqlDatabases',
      'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers',
      'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments',
      'Microsoft.KeyVault/vaults',
      'Microsoft.KeyVault/vaults/secrets',
      'Microsoft.Authorization/roleAssignments',
    ]));
    for (const r of declared) expect(r.apiVersion, `${r.symbol} (line ${r.line})`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('keeps the parameter contract with teamsapp.yml', () => {
    for (const name of CONTRACT_PARAMS) expect(bicep.params.has(name), `param ${name}`).toBe(true);
    const p = (name: string) => bicep.params.get(name)!;
    expect(p('resourceBaseName').decorators).toEqual(expect.arrayContaining(['minLength(4)', 'maxLength(20)']));
    expect(p('botAadAppClientSecret').decorators).toContain('secure()');
    expect(p('botAadAppTenantId').defaultValue?.text).toBe('tenant().tenantId');
    expect(literalValue(p('webAppSku').defaultValue)).toBe('B1');
    expect(literalValue(p('botDisplayName').defaultValue)).toBe('PlanBridge');
    expect(p('location').defaultValue?.text).toBe('resourceGroup().location');
  });

  it('exposes the outputs teamsapp.yml reads', () => {
    for (const name of CONTRACT_OUTPUTS) expect(bicep.outputs.get(name), `output ${name}`).toEqual({ type: 'string' });
  });
});

describe(`${BICEP} resources`, () => {
  it('runs a hardened Linux Node 22 web app with a managed identity', () => {
    const site = only('Microsoft.Web/sites');
    expect(value(site, 'kind')).toBe('app,linux');
    expect(value(site, 'identity.type')).toBe('SystemAssigned');
    expect(value(site, 'properties.httpsOnly')).toBe(true);
    expect(value(site, 'properties.siteConfig.linuxFxVersion')).toBe('NODE|22-lts');
    expect(value(site, 'properties.siteConfig.http20Enabled')).toBe(true);
    expect(value(site, 'properties.siteConfig.minTlsVersion')).toBe('1.2');
    expect(value(site, 'properties.siteConfig.ftpsState')).toBe('Disabled');
    expect(value(site, 'properties.siteConfig.healthCheckPath')).toBe('/healthz');
    expect(variable(text(site, 'properties.siteConfig.appCommandLine')!)).toBe('node dist/bot/src/main.js');
    expect(value(only('Microsoft.Web/serverfarms'), 'properties.reserved')).toBe(true);
  });

  it('wires app settings the bot reads, with the client secret as a Key Vault reference', () => {
    const settingsResource = only('Microsoft.Web/sites/config', 'appsettings');
    const settingsExpr = propertyAt(settingsResource.body, 'properties')!;
    // union({...}, cond ? {} : {...}) or a plain object: gather every key of every object literal.
    const settings = new Map(settingsExpr.descendantsOfType('object').concat(settingsExpr.type === 'object' ? [settingsExpr] : [])
      .flatMap((o) => [...propertiesOf(o)]));
    expect([...settings.keys()]).toEqual(expect.arrayContaining(
      ['CLIENT_ID', 'CLIENT_SECRET', 'TENANT_ID', 'COSMOS_ENDPOINT', 'COSMOS_DATABASE', 'KEY_VAULT_URI', 'LOG_LEVEL', 'SCM_DO_BUILD_DURING_DEPLOYMENT']));
    // A misspelt name would be silently ignored by the bot (or rejected at start): only known settings.
    for (const key of settings.keys()) {
      expect(key in SETTINGS || /^(SCM|WEBSITE)_/.test(key), `app setting ${key} is not a PlanBridge or App Service setting`).toBe(true);
    }
    expect(settings.get('CLIENT_SECRET')!.text).toMatch(/^'@Microsoft\.KeyVault\(SecretUri=\$\{botClientSecret\.properties\.secretUri\}\)'$/);
    expect(settings.get('CLIENT_ID')!.text).toBe('botAadAppClientId');
    expect(settings.get('TENANT_ID')!.text).toBe('botAadAppTenantId');
    expect(literalValue(settings.get('LOG_LEVEL'))).toBe('info');
    expect(literalValue(settings.get('SCM_DO_BUILD_DURING_DEPLOYMENT'))).toBe('true');
  });

  it('registers a single-tenant Azure Bot at /api/messages with the Teams channel on', () => {
    const bot = only('Microsoft.BotService/botServices');
    expect(value(bot, 'kind')).toBe('azurebot');
    expect(value(bot, 'location')).toBe('global');
    expect(value(bot, 'properties.msaAppType')).toBe('SingleTenant');
    expect(text(bot, 'properties.msaAppId')).toBe('botAadAppClientId');
    expect(text(bot, 'properties.msaAppTenantId')).toBe('botAadAppTenantId');
    expect(text(bot, 'properties.endpoint')).toBe("'https://${webApp.properties.defaultHostName}/api/messages'");
    const teams = only('Microsoft.BotService/botServices/channels');
    expect(value(teams, 'name')).toBe('MsTeamsChannel');
    expect(value(teams, 'properties.channelName')).toBe('MsTeamsChannel');
    expect(value(teams, 'properties.properties.isEnabled')).toBe(true);
  });

  it('creates a serverless, Entra-only Cosmos DB account with the store containers on /pk', () => {
    const account = only('Microsoft.DocumentDB/databaseAccounts');
    expect(value(account, 'properties.capabilities')).toEqual([{ name: 'EnableServerless' }]);
    expect(value(account, 'properties.consistencyPolicy.defaultConsistencyLevel')).toBe('Session');
    expect(value(account, 'properties.disableLocalAuth')).toBe(true);
    expect(literalValue(bicep.params.get('cosmosDatabaseName')?.defaultValue)).toBe('planbridge');
    expect(literalValue(bicep.params.get('cosmosContainers')?.defaultValue)).toEqual(
      STORE_CONTAINERS.map((name) => ({ name, partitionKeyPath: '/pk' })));
    const containers = only('Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers');
    expect(text(containers, 'properties.resource.partitionKey.paths')).toMatch(/container\.partitionKeyPath/);
  });

  it('grants the web app identity Cosmos DB Built-in Data Contributor', () => {
    const grant = only('Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments');
    expect(text(grant, 'properties.principalId')).toBe('webApp.identity.principalId');
    expect(text(grant, 'properties.roleDefinitionId')).toBe("'${cosmosAccount.id}/sqlRoleDefinitions/${cosmosDataContributorRoleId}'");
    expect(variable('cosmosDataContributorRoleId')).toBe('00000000-0000-0000-0000-000000000002');
  });

  it('keeps the bot secret in an RBAC Key Vault readable by the web app identity only', () => {
    const vault = only('Microsoft.KeyVault/vaults');
    expect(value(vault, 'properties.enableRbacAuthorization')).toBe(true);
    expect(value(vault, 'properties.enableSoftDelete')).toBe(true);
    expect(value(vault, 'properties.enablePurgeProtection')).toBe(true);
    const secret = bicep.resources.find((r) => r.symbol === 'botClientSecret')!;
    expect(secret.type).toBe('Microsoft.KeyVault/vaults/secrets');
    expect(text(secret, 'properties.value')).toBe('botAadAppClientSecret');
    const grant = only('Microsoft.Authorization/roleAssignments');
    expect(text(grant, 'scope')).toBe('keyVault');
    expect(text(grant, 'properties.principalId')).toBe('webApp.identity.principalId');
    expect(text(grant, 'properties.roleDefinitionId')).toContain('keyVaultSecretsUserRoleId');
    expect(variable('keyVaultSecretsUserRoleId')).toBe('4633458b-17de-408a-b874-0445c86b69e6');
  });
});

describe(PARAMETERS, () => {
  it('sets only declared params, covers every required one and keeps secrets out', () => {
    const report = checkParametersFile(JSON.parse(read(PARAMETERS)), bicep.params);
    expect(report.problems).toEqual([]);
    expect(report.placeholders).toEqual([
      { param: 'resourceBaseName', variable: 'RESOURCE_SUFFIX' },
      { param: 'botAadAppClientId', variable: 'BOT_ID' },
      { param: 'botAadAppClientSecret', variable: 'SECRET_BOT_PASSWORD' },
      { param: 'botAadAppTenantId', variable: 'TEAMS_APP_TENANT_ID' },
    ]);
  });
});

describe('the checkers catch mistakes', () => {
  it('reports a syntax error with its line and column', async () => {
    const broken = "resource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'a'\n  properties: {\n    httpsOnly: = true\n  }\n}\n";
    const { problems } = await parseBicep(broken);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ kind: 'syntax error', line: 4 });
    expect(formatProblems('x.bicep', problems)).toMatch(/^x\.bicep:4:\d+: syntax error/);
  });

  it('reports an unterminated resource body', async () => {
    const { problems } = await parseBicep("param name string\n\nresource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: name\n");
    expect(problems.length).toBeGreaterThan(0);
  });

  it('gives nested child resources their full type', async () => {
    const { outline, problems } = await parseBicep(
      "resource site 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'a'\n  resource settings 'config' = {\n    name: 'appsettings'\n  }\n}\n");
    expect(problems).toEqual([]);
    expect(outline.resources.map((r) => r.type)).toEqual(['Microsoft.Web/sites', 'Microsoft.Web/sites/config']);
  });

  it('rejects parameters files that drift from the Bicep', async () => {
    const { outline } = await parseBicep("@secure()\nparam secret string\nparam name string\nparam sku string = 'B1'\n");
    const report = checkParametersFile({
      parameters: {
        secret: { value: 'hunter2' },
        skuu: { value: '${{SKU}}' },
        sku: { value: '${{ SKU }}' },
      },
    }, outline.params);
    expect(report.problems).toEqual([
      '"secret" is @secure() but has a literal value: use a ${{SECRET_...}} placeholder or a Key Vault reference',
      '"skuu" is set in the parameters file but the Bicep declares no such param',
      '"sku" has a malformed placeholder in "${{ SKU }}"',
      '"name" has no default in the Bicep and no value in the parameters file',
    ]);
    expect(checkParametersFile([], outline.params).problems).toHaveLength(1);
  });
});
