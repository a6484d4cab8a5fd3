/**
 * The world an Outlook-events scenario runs in: the real bot's services (embedded Cosmos store,
 * live plan connectors, the job runner and its leases), a PWA simulator holding the plan, the
 * Graph simulator behind a recording proxy, and the person who connects, links, previews and
 * approves, through the same chat and card paths production takes ("sync project X to Outlook",
 * the Approve button with its cancel toggles). Only the store's journal and event links are
 * wrapped, so a run can die between a Graph write and the record of it.
 */
import { GRAPH_DEMO_CREDENTIALS, startGraphSimulator, type GraphSimulator } from '../../../../sim/graph/server.js';
import { PWA_DEMO_CREDENTIALS, startPwaSimulator, type PwaSimulator } from '../../../../sim/pwa/server.js';
import { PwaConnector } from '../../../src/connectors/pwa/connector.js';
import type { ActionReply, ActionTurn } from '../../../src/flows/actions.js';
import { handleCardAction } from '../../../src/flows/card-actions.js';
import type { AdaptiveCardJson } from '../../../src/flows/chat.js';
import { ownership } from '../../../src/flows/connection-access.js';
import { startOutlookSync } from '../../../src/flows/outlook/sync-outlook.js';
import type { FlowServices } from '../../../src/flows/services.js';
import type { IntegrationDocument, Stored } from '../../../src/store/index.js';
import { startTestBot, type TestBot } from '../../support/test-bot.js';
import { CrashSwitch, crashingStore } from './crash.js';
import { startGraphProxy, type GraphProxy } from './graph-proxy.js';

export const EVENTS_TENANT = '00000000-0000-4000-8000-0000000e7e57';
const USER = { id: 'model', name: 'Model' } as const;

/** Fresh simulators, connections and an Outlook integration for one scenario. */
export interface EventSystems {
  readonly pwa: PwaSimulator;
  readonly graph: GraphSimulator;
  readonly proxy: GraphProxy;
  readonly zone: string;
  readonly planName: string;
  readonly integration: Stored<IntegrationDocument>;
  /** A person's own PWA client, for edits. */
  readonly editor: PwaConnector;
  close(): Promise<void>;
}

export interface EventWorld {
  readonly bot: TestBot;
  /** Services as production builds them, with the crash switch on the store. */
  readonly services: FlowServices;
  readonly crash: CrashSwitch;
  /** Starts the simulators, lets `seed` write the plan, then connects and links as a person would. */
  open(zone: string, planName: string, seed: (pwa: PwaSimulator) => string): Promise<EventSystems>;
  /** "sync project <plan> to Outlook": the card the preview message ends as. */
  sync(planName: string): Promise<AdaptiveCardJson>;
  /** A card button as the model user clicks it (production card-action path, guard included). */
  click(verb: string, data: Record<string, unknown>): Promise<ActionReply>;
  stop(): Promise<void>;
}

export async function startEventWorld(): Promise<EventWorld> {
  const bot = await startTestBot({}, { scheduler: 'manual' });
  const crash = new CrashSwitch();
  const services: FlowServices = { ...bot.bot.flows, store: crashingStore(bot.bot.store, crash) };
  const cards = new Map<string, AdaptiveCardJson>();
  let last: AdaptiveCardJson | undefined;
  let sent = 0;
  const turn: ActionTurn = {
    tenantId: EVENTS_TENANT, conversationId: 'a:outlook-model', conversationKind: 'personal', user: { ...USER },
    send: async (m) => {
      const id = `activity-${++sent}`;
      if (m.card) { cards.set(id, m.card); last = m.card; }
      return id;
    },
    update: async (id, m) => {
      if (m.card) { cards.set(id, m.card); last = m.card; }
    },
  };
  const click = (verb: string, data: Record<string, unknown>): Promise<ActionReply> =>
    handleCardAction(services, turn, { verb, data: { t: EVENTS_TENANT, ...data }, trigger: 'manual' });

  const open = async (zone: string, planName: string, seed: (pwa: PwaSimulator) => string): Promise<EventSystems> => {
    const [pwa, graph] = await Promise.all([startPwaSimulator({ port: 0, queueJobMs: 0, seed: 'empty', timeZone: zone }), startGraphSimulator({ port: 0, seed: 'demo' })]);
    const proxy = await startGraphProxy(graph.url);
    const projectId = seed(pwa);
    const store = bot.bot.store;
    const plan = await store.connections.create(EVENTS_TENANT, {
      kind: 'pwa', name: `PWA ${pwa.url}`, url: pwa.url, auth: { type: 'basic', username: PWA_DEMO_CREDENTIALS.username }, secret: PWA_DEMO_CREDENTIALS.password, timeZone: zone, ...ownership(turn),
    });
    const outlookName = `Outlook ${proxy.apiUrl}`;
    const connected = await click('outlook.connect', { access: 'delegated', graphUrl: proxy.apiUrl, token: GRAPH_DEMO_CREDENTIALS.bearerToken, name: outlookName });
    const outlook = (await store.connections.list(EVENTS_TENANT, { kind: 'outlook' })).find((c) => c.name === outlookName);
    if (!outlook) throw new Error(`connect outlook did not connect: ${JSON.stringify(connected).slice(0, 600)}`);
    const linked = await click('outlook.link.create', { planConnectionId: plan.id, outlookConnectionId: outlook.id, planProjectId: projectId, planProjectName: planName, timeZone: zone, name: `${planName} → Outlook` });
    const integration = (await store.integrations.list(EVENTS_TENANT, { pageSize: 1000 })).items.find((i) => i.target === 'outlook' && i.planProjectId === projectId);
    if (!integration) throw new Error(`link to Outlook did not create the integration: ${JSON.stringify(linked).slice(0, 600)}`);
    const editor = new PwaConnector({ siteUrl: pwa.url, auth: { kind: 'onprem', username: PWA_DEMO_CREDENTIALS.username, password: PWA_DEMO_CREDENTIALS.password }, timeZone: zone, pollIntervalMs: 5 });
    return {
      pwa, graph, proxy, zone, planName, integration, editor,
      async close() {
        await store.integrations.remove(EVENTS_TENANT, integration.id);
        for (const id of [plan.id, outlook.id]) {
          bot.bot.flows.systems.forget(id);
          await store.connections.remove(EVENTS_TENANT, id);
        }
        await proxy.close();
        await Promise.all([pwa.close(), graph.close()]);
      },
    };
  };

  return {
    bot, services, crash, open, click,
    async sync(planName) {
      last = undefined;
      await startOutlookSync(services, turn, planName);
      if (!last) throw new Error(`"sync project ${planName} to Outlook" answered nothing`);
      return last;
    },
    stop: () => bot.close(),
  };
}
