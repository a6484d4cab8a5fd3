import { join } from 'node:path';
import { ADO_DEMO_PATS, adoSimulatorOptionsFromEnv, startAdoSimulator } from './ado/server.js';
import { DATAVERSE_DEMO_CREDENTIALS, dataverseSimulatorOptionsFromEnv, startDataverseSimulator } from './dataverse/server.js';
import { GRAPH_DEMO_CREDENTIALS, graphSimulatorOptionsFromEnv, startGraphSimulator } from './graph/server.js';
import { ENTRA_DEMO, startEntraSimulator } from './entra/server.js';
import { PWA_DEMO_CREDENTIALS, startPwaSimulator } from './pwa/server.js';

/**
 * `npm run sim`: the simulators on fixed loopback ports, so the bot (and you, with curl or the
 * real client libraries) can talk to "Azure DevOps", "Project Web App", "Planner premium" (Dataverse)
 * and "Entra ID" without a network.
 */
const HOST = '127.0.0.1';
const ADO_PORT = Number(process.env.ADO_SIM_PORT ?? 8081);
const PWA_PORT = Number(process.env.PWA_SIM_PORT ?? 8082);
const ENTRA_PORT = Number(process.env.ENTRA_SIM_PORT ?? 8083);
const DATAVERSE_PORT = Number(process.env.DATAVERSE_SIM_PORT ?? 8084);
const GRAPH_PORT = Number(process.env.GRAPH_SIM_PORT ?? 8085);
/** The bot in local mode reads the Entra simulator's CA from here (config.ts LOCAL_ENTRA_SIMULATOR). */
const CA_FILE = join(process.env.PLANBRIDGE_DATA_DIR ?? '.data', 'entra-sim', 'ca.pem');
/** The demo ADO service principal's certificate and key, to paste into "connect ado". */
const SP_PEM_FILE = join(process.env.PLANBRIDGE_DATA_DIR ?? '.data', 'entra-sim', 'ado-service-principal.pem');

interface Running {
  name: string;
  close(): Promise<void>;
}

async function main(): Promise<void> {
  const running: Running[] = [];
  const stop = async (code: number) => {
    await Promise.allSettled(running.map((r) => r.close()));
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  // Entra first: ADO and PWA trust the tokens it signs, as Azure DevOps and SharePoint Online trust Entra ID.
  const entra = await startEntraSimulator({ port: ENTRA_PORT, host: HOST, caFile: CA_FILE, servicePrincipalPemFile: SP_PEM_FILE });
  running.push({ name: 'entra', close: () => entra.close() });
  const ado = await startAdoSimulator({ ...adoSimulatorOptionsFromEnv(), port: ADO_PORT, host: HOST, trustedIssuers: [entra.trust] });
  running.push({ name: 'ado', close: () => ado.close() });
  const sp = ENTRA_DEMO.adoServicePrincipal;
  const pwa = await startPwaSimulator({ port: PWA_PORT, host: HOST, trustedIssuers: [entra.trust], seed: 'orion' });
  running.push({ name: 'pwa', close: () => pwa.close() });
  const dataverse = await startDataverseSimulator({ ...dataverseSimulatorOptionsFromEnv(), port: DATAVERSE_PORT, host: HOST, trustedIssuers: [entra.trust], authority: entra.authority });
  running.push({ name: 'dataverse', close: () => dataverse.close() });
  const graph = await startGraphSimulator({ ...graphSimulatorOptionsFromEnv(), port: GRAPH_PORT, host: HOST, trustedIssuers: [entra.trust] });
  running.push({ name: 'graph', close: () => graph.close() });
  const c = PWA_DEMO_CREDENTIALS;

  process.stdout.write([
    'Simulators are running (loopback only). Stop with Ctrl+C.',
    '',
    `  Azure DevOps     ${ado.url}   (${ado.mode})`,
    `    PATs               ${ADO_DEMO_PATS.fullAccess} (full access), ${ADO_DEMO_PATS.readOnly} (read only), ${ADO_DEMO_PATS.expired} (expired), ${ADO_DEMO_PATS.global} (retired global PAT)`,
    `    service principal  tenant ${ENTRA_DEMO.tenantId}, client ${sp.clientId}`,
    `                       secret ${sp.clientSecret}, or the certificate + key in ${SP_PEM_FILE}`,
    '    projects           Phoenix (Agile), Atlas (Scrum), Hermes (Basic), Orion (CMMI)',
    '',
    `  Project Web App  ${pwa.url}`,
    `    bearer token       ${c.bearerToken}   (read-only: ${c.viewerBearerToken})`,
    `    on-premises login  ${c.username} / ${c.password}   (read-only: ${c.viewerUsername} / ${c.viewerPassword})`,
    '    projects           Apollo, Apollo Rollout, Hermes Website Refresh, Legacy CRM Retirement (archived),',
    '                       Orion Network Upgrade (in flight: actuals, dependencies, milestones, an inactive task)',
    '',
    `  Planner premium  ${dataverse.apiUrl}   (Dataverse Web API + Project Schedule APIs)`,
    `    bearer token       ${DATAVERSE_DEMO_CREDENTIALS.bearerToken} (licensed)   (no Project licence: ${DATAVERSE_DEMO_CREDENTIALS.unlicensedBearerToken})`,
    `    sign-in            ${ENTRA_DEMO.user.username} (licensed), ${ENTRA_DEMO.viewer.username} (no Project licence)`,
    '    projects           Apollo Cloud, Hermes Mobile App, Atlas Office Move (empty)',
    '',
    `  Microsoft Graph  ${graph.apiUrl}   (Outlook calendar events + users; no PlanBridge connector yet)`,
    `    bearer tokens      ${GRAPH_DEMO_CREDENTIALS.bearerToken} (delegated, ${ENTRA_DEMO.user.username}), ${GRAPH_DEMO_CREDENTIALS.appBearerToken} (app-only, access policy), ${GRAPH_DEMO_CREDENTIALS.readOnlyBearerToken} (read only)`,
    '    mailboxes          pm@, alice@, bob@, chen@, erin@, farid@; dana@ is on-premises (no Exchange Online)',
    '',
    `  Entra ID         ${entra.authority}   (HTTPS; CA written to ${CA_FILE})`,
    `    sign-in            ${ENTRA_DEMO.user.username} / ${ENTRA_DEMO.user.password}   (read-only: ${ENTRA_DEMO.viewer.username} / ${ENTRA_DEMO.viewer.password})`,
    '',
  ].join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`npm run sim failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
