// PlanBridge on Azure: one Linux web app (Node 22) running the bot, the Azure Bot registration
// with the Teams channel, serverless Cosmos DB for state and Key Vault for secrets.
// The web app reaches Cosmos DB and Key Vault with its system-assigned managed identity, so no
// database key or vault credential is ever stored in an app setting.

// ---- Parameters (names are a contract with teamsapp.yml and azure.parameters.json) ----

@description('Prefix for every resource name. Lowercase letters and digits; also names the web app, so it must be globally unique.')
@minLength(4)
@maxLength(20)
param resourceBaseName string

@description('Client id of the bot\'s Entra app registration (single tenant).')
param botAadAppClientId string

@description('Client secret of the bot\'s Entra app registration. Stored only in Key Vault.')
@secure()
@minLength(1)
param botAadAppClientSecret string

@description('Tenant of the bot\'s Entra app registration.')
param botAadAppTenantId string = tenant().tenantId

@description('App Service plan SKU. B1 is the smallest tier with Always On; F1/D1 work but idle out.')
param webAppSku string = 'B1'

@description('Name shown for the bot in the Azure Bot resource.')
param botDisplayName string = 'PlanBridge'

@description('Region for everything except the Azure Bot, which is always global.')
param location string = resourceGroup().location

@description('Azure Bot pricing tier. Teams is a standard channel, so F0 is enough.')
@allowed([
  'F0'
  'S1'
])
param botServiceSku string = 'F0'

@description('Cosmos DB database the store uses (the app reads it from COSMOS_DATABASE).')
param cosmosDatabaseName string = 'planbridge'

// Plain `array` rather than a user-defined type, so older Bicep CLIs (Teams Toolkit's pinned
// bicepCliVersion) compile it too. Each item: { name: string, partitionKeyPath: string }.
@description('Containers the store needs, as { name, partitionKeyPath }. The store writes a synthetic partition key into each document, hence one path for all.')
param cosmosContainers array = [
  {
    name: 'connections'
    partitionKeyPath: '/pk'
  }
  {
    name: 'integrations'
    partitionKeyPath: '/pk'
  }
  {
    name: 'links'
    partitionKeyPath: '/pk'
  }
  {
    name: 'runs'
    partitionKeyPath: '/pk'
  }
  {
    name: 'conversations'
    partitionKeyPath: '/pk'
  }
  {
    name: 'leases'
    partitionKeyPath: '/pk'
  }
]

@description('Optional base64 32-byte key that encrypts stored PATs and passwords (openssl rand -base64 32). Empty = the app manages its own key.')
@secure()
param secretEncryptionKey string = ''

@description('Tags applied to every resource.')
param tags object = {}

// ---- Names and well-known ids ----

var baseName = toLower(resourceBaseName)
var cosmosAccountName = '${baseName}-cosmos'
var keyVaultName = '${baseName}-kv'
var botClientSecretName = 'bot-client-secret'
var secretEncryptionKeyName = 'planbridge-secret-key'

// Built-in role ids: stable across all tenants.
var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

// Free and Shared plans reject Always On; everything from Basic up supports it.
var alwaysOn = !contains([
  'F1'
  'FREE'
  'D1'
  'SHARED'
], toUpper(webAppSku))

// Oryx builds dist/ once at deploy time (SCM_DO_BUILD_DURING_DEPLOYMENT), so start the built
// entry point directly instead of `npm start`, which would re-run tsc on every restart.
var startupCommand = 'node dist/bot/src/main.js'

// ---- App Service ----

resource appServicePlan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: baseName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true // required for Linux plans
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: baseName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: appServicePlan.id
    httpsOnly: true
    clientAffinityEnabled: false // state lives in Cosmos DB; any instance can take any request
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: startupCommand
      alwaysOn: alwaysOn
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
    }
  }
}

// FTP is off (ftpsState) and its basic-auth publishing credentials are refused too. SCM basic
// auth stays as the platform default because some zip-deploy clients still rely on it.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: webApp
  name: 'ftp'
  properties: {
    allow: false
  }
  // Writes to one site's configuration are chained: parallel PUTs can fail with 409 Conflict.
  dependsOn: [
    webAppLogs
  ]
}

// Container stdout (the bot's JSON logs) is kept on the file system for `az webapp log tail`.
resource webAppLogs 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'logs'
  properties: {
    applicationLogs: {
      fileSystem: {
        level: 'Information'
      }
    }
    httpLogs: {
      fileSystem: {
        enabled: true
        retentionInDays: 7
        retentionInMb: 35
      }
    }
    detailedErrorMessages: {
      enabled: false
    }
    failedRequestsTracing: {
      enabled: false
    }
  }
  dependsOn: [
    webAppSettings
  ]
}

// App settings are a separate resource so they are written only after the identity has been
// granted access: the Key Vault references then resolve on the first start.
resource webAppSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: union({
    CLIENT_ID: botAadAppClientId
    CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${botClientSecret.properties.secretUri})'
    TENANT_ID: botAadAppTenantId
    COSMOS_ENDPOINT: cosmosAccount.properties.documentEndpoint
    COSMOS_DATABASE: cosmosDatabase.name
    KEY_VAULT_URI: keyVault.properties.vaultUri
    LOG_LEVEL: 'info'
    // /home is the persistent share on App Service; wwwroot is replaced on every deploy.
    PLANBRIDGE_DATA_DIR: '/home/data/planbridge'
    // Oryx runs `npm install` and `npm run build` on the server. NODE_ENV is deliberately not
    // set to production: that would skip the devDependencies (tsc) the build needs.
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
    // WEBSITE_NODE_DEFAULT_VERSION is not set: it only applies to Windows plans; on Linux the
    // runtime comes from linuxFxVersion above.
  }, empty(secretEncryptionKey) ? {} : {
    PLANBRIDGE_SECRET_KEY: '@Microsoft.KeyVault(SecretUri=${keyVault.properties.vaultUri}secrets/${secretEncryptionKeyName})'
  })
  dependsOn: [
    keyVaultSecretsUser
    cosmosDataContributor
    containers
    secretEncryptionKeySecret
  ]
}

// ---- Azure Bot + Teams channel ----

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: baseName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: botAadAppClientId
    msaAppTenantId: botAadAppTenantId
    msaAppType: 'SingleTenant'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// ---- Cosmos DB (NoSQL, serverless) ----

resource cosmosAccount 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: cosmosAccountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: [
      {
        name: 'EnableServerless'
      }
    ]
    // Entra ID only: the app uses DefaultAzureCredential when COSMOS_KEY is absent.
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
    // The web app is not VNet-integrated, so the account must accept public traffic.
    publicNetworkAccess: 'Enabled'
  }
}

resource cosmosDatabase 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: cosmosAccount
  name: cosmosDatabaseName
  properties: {
    resource: {
      id: cosmosDatabaseName
    }
  }
}

// Created here because data-plane RBAC cannot create containers: with keys disabled, the app's
// createIfNotExists only finds them.
resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [for container in cosmosContainers: {
  parent: cosmosDatabase
  name: container.name
  properties: {
    resource: {
      id: container.name
      partitionKey: {
        paths: [
          container.partitionKeyPath
        ]
        kind: 'Hash'
        version: 2
      }
      // -1 turns TTL on without expiring anything by default, so the store can set a per-item ttl.
      defaultTtl: -1
    }
  }
}]

resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: cosmosAccount
  name: guid(cosmosAccount.id, webApp.id, cosmosDataContributorRoleId)
  properties: {
    roleDefinitionId: '${cosmosAccount.id}/sqlRoleDefinitions/${cosmosDataContributorRoleId}'
    principalId: webApp.identity.principalId
    scope: cosmosAccount.id
  }
}

// ---- Key Vault ----

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    // The vault belongs to the subscription's tenant, which may differ from the bot's tenant.
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource botClientSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: botClientSecretName
  properties: {
    value: botAadAppClientSecret
    contentType: 'text/plain'
  }
}

resource secretEncryptionKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(secretEncryptionKey)) {
  parent: keyVault
  name: secretEncryptionKeyName
  properties: {
    value: secretEncryptionKey
    contentType: 'application/octet-stream;base64'
  }
}

resource keyVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, webApp.id, keyVaultSecretsUserRoleId)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: webApp.identity.principalId
    // Stated explicitly so ARM does not wait for the new identity to replicate in Entra ID.
    principalType: 'ServicePrincipal'
  }
}

// ---- Outputs (names are read by teamsapp.yml) ----

output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output COSMOS_ENDPOINT string = cosmosAccount.properties.documentEndpoint
output KEY_VAULT_URI string = keyVault.properties.vaultUri
