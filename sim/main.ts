import { PWA_DEMO_CREDENTIALS, startPwaSimulator } from './pwa/server.js';

/**
 * `npm run sim`: the simulators on fixed loopback ports, so the bot (and you, with curl or the
 * real client libraries) can talk to "Azure DevOps" and "Project Web App" without a network.
 */
const HOST = '127.0.0.1';
const PWA_PORT = Number(process.env.PWA_SIM_PORT ?? 8082);

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

  const pwa = await startPwaSimulator({ port: PWA_PORT, host: HOST });
  running.push({ name: 'pwa', close: () => pwa.close() });
  const c = PWA_DEMO_CREDENTIALS;

  process.stdout.write([
    'Simulators are running (loopback only). Stop with Ctrl+C.',
    '',
    `  Project Web App  ${pwa.url}`,
    `    bearer token       ${c.bearerToken}   (read-only: ${c.viewerBearerToken})`,
    `    on-premises login  ${c.username} / ${c.password}   (read-only: ${c.viewerUsername} / ${c.viewerPassword})`,
    '    projects           Apollo, Apollo Rollout, Hermes Website Refresh, Legacy CRM Retirement (archived)',
    '',
  ].join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`npm run sim failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
