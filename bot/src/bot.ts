import type { App } from '@microsoft/teams.apps';
import type { CloudEnvironment, TokenProvider } from '@microsoft/teams.api';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { createRestifyServer } from './http/server.js';
import { openStore, type Store } from './store/index.js';
import { createLiveSystems } from './adapters/live-systems.js';
import { BackgroundWork, type FlowServices } from './flows/services.js';
import type { SignInStarter, SystemAccess } from './flows/systems.js';
import { createTeamsApp } from './teams/app.js';
import { createProactiveMessenger, type ProactiveMessenger } from './teams/proactive.js';
import { M365AppTokens, M365Tokens, M365SignInService, settingsFromConfig } from './connectors/m365/index.js';
import { registerSignInRoutes } from './http/sign-in-routes.js';
import { signInNotifier } from './flows/sign-in-result.js';
import { VERSION } from './version.js';
import { JobRunner, createCosmosScheduleBook, createScheduler, type Scheduler } from './jobs/index.js';
import { scheduledSync } from './flows/scheduled-sync.js';
import { scheduledRunReporter } from './flows/scheduled-reports.js';
import { scanExpiringConnections } from './flows/pat-warnings.js';

const EXPIRY_SCAN_INTERVAL_MS = 3_600_000;

export interface RunningBot {
  /** Base URL the HTTP server listens on, e.g. http://127.0.0.1:3978 */
  url: string;
  app: App;
  store: Store;
  /** Work still running after a card action was answered (apply with progress). */
  background: BackgroundWork;
  /** Messages to stored conversations (sign-in results, scheduled run reports). */
  messenger: ProactiveMessenger;
  /** Scheduled syncs: scans for due runs every interval; tests call `tick()` themselves. */
  scheduler: Scheduler;
  /** The services every flow and run uses (the model-based test drives the run path with them). */
  flows: FlowServices;
  /** One pass of the credential expiry scan (it runs hourly on its own unless the scheduler is manual). */
  scanExpiringConnections(): Promise<{ checked: number; sent: number }>;
  stop(): Promise<void>;
}

export interface BotSeams {
  cloud?: CloudEnvironment;
  token?: TokenProvider;
  /** Replaces the real ADO/PWA connectors (tests of failure paths). */
  systems?: (store: Store) => SystemAccess;
  /** Replaces Microsoft 365 sign-in (built from config.pwaOAuth otherwise); `false` = not configured. */
  signIn?: SignInStarter | false;
  /** The clock of flows and the scheduler (tests of schedules). */
  now?: () => Date;
  /** 'manual': the scheduler does not scan on its own; tests call `scheduler.tick()`. */
  scheduler?: 'manual';
}

/** Composition root: config -> store -> teams app -> http server. main.ts adds the process concerns. */
export async function startBot(config: Config, logger: Logger, seams: BotSeams = {}): Promise<RunningBot> {
  const startedAt = Date.now();
  const store = await openStore({
    cosmos: config.cosmos,
    dataDir: config.dataDir,
    secretKey: config.secretKey,
    keyVaultUri: config.keyVaultUri,
    logger,
  });
  const server = createRestifyServer(logger, {
    version: VERSION,
    startedAt,
    authMode: config.auth.mode,
    store: async () => ({ reachable: await store.ping(), mode: store.mode }),
  });
  const localMode = config.auth.mode === 'local';
  const background = new BackgroundWork(logger);
  // Microsoft 365 sign-in (PWA, Planner premium, Outlook): configured by PWA_OAUTH_*, or in local mode the Entra simulator.
  const oauthSettings = config.pwaOAuth ? settingsFromConfig(config.pwaOAuth) : undefined;
  const signInService = oauthSettings ? new M365SignInService({ settings: oauthSettings, signIns: store.signIns, connections: store.connections, logger }) : undefined;
  const tokens = oauthSettings ? new M365Tokens({ settings: oauthSettings, connections: store.connections, logger }) : undefined;
  const appTokens = oauthSettings ? new M365AppTokens({ settings: oauthSettings, logger }) : undefined;
  const signIn: SignInStarter | undefined = seams.signIn === false ? undefined : seams.signIn ?? (signInService && {
    begin: async ({ tenantId, requestedBy, conversation, ...draft }) => signInService.beginSignIn({ tenantId, requestedBy, conversation, draft }),
  });
  // One JobRunner for chat approvals, Retry buttons and scheduled runs, so one integration never
  // has two runs at once on any instance (its lease in Cosmos decides).
  const now = seams.now ?? (() => new Date());
  const runner = new JobRunner({ leases: store.leases, now, logger });
  const flows: FlowServices = {
    store,
    runner,
    systems: seams.systems ? seams.systems(store) : createLiveSystems({
      connections: store.connections, logger, localMode, allowPrivateNetwork: config.allowPrivateNetwork, adoEntra: config.adoEntra, ...(tokens ? { m365Tokens: tokens } : {}), ...(appTokens ? { m365AppTokens: appTokens } : {}),
    }),
    logger,
    localMode,
    tenantAdmins: config.tenantAdmins,
    now,
    background,
    ...(signIn ? { signIn } : {}),
  };
  const { systems: _systems, signIn: _signIn, now: _now, scheduler: _scheduler, ...sdkSeams } = seams;
  const app = createTeamsApp({
    config,
    logger,
    server,
    flows,
    conversations: {
      remember: (tenantId, ref, likelyNew) => store.conversations.save(tenantId, ref, { likelyNew }),
      forget: (tenantId, conversationId) => store.conversations.remove(tenantId, conversationId),
    },
    ...sdkSeams,
  });
  const messenger = createProactiveMessenger(app, store.conversations);
  registerSignInRoutes(server, { signIn: signInService, notifier: signInNotifier(flows, messenger.sendTo), logger });

  const book = createCosmosScheduleBook(store.integrations, logger);
  const scheduler = createScheduler({ book, runner, work: scheduledSync(flows), reporter: scheduledRunReporter(flows), now: flows.now, logger });
  flows.automation = {
    book,
    runner,
    runNow: (key, trigger) => scheduler.runNow(key, trigger),
    post: messenger.send,
  };
  try {
    // The SDK reads a falsy port as "use PORT or 3978"; the string keeps 0 meaning "any free port".
    await app.start(String(config.port));
  } catch (err) {
    await store.close();
    throw err;
  }
  if (seams.scheduler !== 'manual') scheduler.start();
  // Hourly is plenty for day-granular warnings, and a restart never waits a day for its first scan.
  const expiryScan = (): Promise<{ checked: number; sent: number }> => scanExpiringConnections(flows);
  const expiryTimer = seams.scheduler === 'manual' ? undefined : setInterval(() => {
    void expiryScan().catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.name : 'unknown' }, 'credential expiry scan failed; trying again next hour'));
  }, EXPIRY_SCAN_INTERVAL_MS);
  expiryTimer?.unref();
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    app,
    store,
    background,
    messenger,
    scheduler,
    flows,
    scanExpiringConnections: expiryScan,
    stop: () => (stopping ??= (async () => {
      if (expiryTimer) clearInterval(expiryTimer);
      // Runs in flight are aborted and keep their leases: another instance resumes them through the journal.
      runner.abortAll();
      await scheduler.stop();
      await app.stop();
      await background.drain();
      await store.close();
    })()),
  };
}
