import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BotSeams } from '../../bot/src/bot.js';
import { startDataverseSimulator, type DataverseSimulator } from '../../sim/dataverse/server.js';
import { startEntraSimulator, type EntraSimulator } from '../../sim/entra/server.js';
import { freePort } from './ports.js';
import type { PlaygroundWorld } from './world.js';
import { worldWith } from './world-with.js';

/** A Playground world where Planner premium is reached only through Microsoft 365 sign-in. */
export interface SignInPlannerPlaygroundWorld extends PlaygroundWorld {
  entra: EntraSimulator;
  dataverse: DataverseSimulator;
}

/**
 * The Entra simulator (https, its CA made at start) and a Dataverse simulator that trusts only
 * its tokens, with `user_impersonation` for the environment (no demo tokens), then the usual world
 * with the bot pointed at that authority. The bot runs on a fixed free port, because its sign-in
 * redirect URI (`http://localhost:<PORT>/auth/pwa/callback`) is built from PORT. The browser of
 * this world accepts the simulator's self-signed certificate (`ignoreHTTPSErrors`, this world only).
 */
export async function startSignInPlannerPlaygroundWorld(seams: BotSeams = {}): Promise<SignInPlannerPlaygroundWorld> {
  const started: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of started.splice(0).reverse()) await s().catch(() => undefined);
  };
  let env: Record<string, string>;
  let entra: EntraSimulator;
  let dataverse: DataverseSimulator;
  try {
    entra = await startEntraSimulator({ port: 0 });
    started.push(() => entra.close());
    dataverse = await startDataverseSimulator({ port: 0, executionDelayMs: 200, trustedIssuers: [entra.trust], requireUserImpersonation: true, acceptDemoTokens: false });
    started.push(() => dataverse.close());
    const caDir = await mkdtemp(join(tmpdir(), 'planbridge-e2e-entra-ca-'));
    started.push(() => rm(caDir, { recursive: true, force: true }));
    await writeFile(join(caDir, 'ca.pem'), entra.caPem);
    env = { PORT: String(await freePort()), PWA_OAUTH_AUTHORITY: entra.authority, PWA_OAUTH_CA_FILE: join(caDir, 'ca.pem') };
  } catch (err) {
    await stop();
    throw err;
  }
  const world = await worldWith('m365', { close: stop }, seams, { env, browser: { ignoreHTTPSErrors: true } });
  return { ...world, entra, dataverse };
}
