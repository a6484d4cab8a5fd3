/**
 * The world a model-based scenario runs in: the real bot's services (embedded Cosmos store, live
 * connectors, job runner), the ADO simulator and a plan system whose users sit on either side of
 * UTC: a PWA site, or a Planner premium (Dataverse) environment. Nothing of PlanBridge's own code
 * is replaced: the recorder only watches the ports' writes, and the crash switch only makes the
 * run journal fail, as a dying process would.
 */
import { Writable } from 'node:stream';
import { startAdoSimulator, ADO_DEMO_PATS, type AdoSimulator } from '../../../../sim/ado/server.js';
import { DATAVERSE_DEMO_CREDENTIALS, startDataverseSimulator, type DataverseSimulator } from '../../../../sim/dataverse/server.js';
import { startPwaSimulator, PWA_DEMO_CREDENTIALS, type PwaSimulator } from '../../../../sim/pwa/server.js';
import { createLiveSystems } from '../../../src/adapters/live-systems.js';
import type { ActionReply, ActionTurn } from '../../../src/flows/actions.js';
import { handleCardAction } from '../../../src/flows/card-actions.js';
import { ownership } from '../../../src/flows/connection-access.js';
import type { FlowServices } from '../../../src/flows/services.js';
import type { SystemAccess } from '../../../src/flows/systems.js';
import type { Store } from '../../../src/store/index.js';
import type { AdoSide, PlanSide, PlanWrite } from '../../../src/sync/ports.js';
import type { FieldValue } from '../../../src/sync/model.js';
import { createLogger } from '../../../src/log.js';
import { startTestBot, type TestBot } from '../../support/test-bot.js';

export const MODEL_TENANT = '00000000-0000-4000-8000-00000000c0de';
/** The plan system a world runs against. */
export type PlanSystem = 'pwa' | 'planner';
/** The person who connects, links and approves in a scenario. */
export const MODEL_USER = { id: 'model', name: 'Model' } as const;
/** Zones on either side of UTC, chosen so a calendar day differs from UTC's for part of it. */
export const SITE_ZONES = ['Asia/Tokyo', 'America/Los_Angeles'] as const;

/** One write a port was asked to make. */
export interface RecordedWrite {
  readonly side: 'ado' | 'plan';
  readonly kind: 'create' | 'update' | 'delete';
  /** ADO: the work item id (updates, deletes) or the marker (creates). Plan: the task id. */
  readonly key: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly parentKey?: string | null;
}

export class Crash extends Error {
  override readonly name = 'Crash';
  constructor() {
    super('simulated crash: the process died mid-apply');
  }
}

/** The plan system's simulator: what users edit and the invariants read. */
export type PlanSimulator = { readonly system: 'pwa'; readonly pwa: PwaSimulator } | { readonly system: 'planner'; readonly dataverse: DataverseSimulator };

/** Fresh simulators for one scenario, so a seed replays exactly whatever ran before it. */
export interface ScenarioSystems {
  readonly ado: AdoSimulator;
  readonly plan: PlanSimulator;
  readonly zone: string;
  readonly adoConnectionId: string;
  readonly planConnectionId: string;
  close(): Promise<void>;
}

export interface ModelWorld {
  readonly bot: TestBot;
  readonly system: PlanSystem;
  open(zone: string): Promise<ScenarioSystems>;
  /** A card action as the model user clicks it, through the production card-action path (guard included). */
  click(verb: string, data: Record<string, unknown>): Promise<ActionReply>;
  /** Writes the ports were asked to make since the last `takeWrites`. */
  takeWrites(): RecordedWrite[];
  /** The next `n` journal writes succeed, then the journal fails (a crash); null disarms. */
  crashAfter(n: number | null): void;
  /** Services as production builds them, with the recorder and crash switch in place. */
  readonly services: FlowServices;
  stop(): Promise<void>;
}

/** How often the bot polls a Planner premium operation set (the simulator executes at once). */
const PLANNER_POLL_MS = 2;

export async function startModelWorld(options: { system?: PlanSystem } = {}): Promise<ModelWorld> {
  const system = options.system ?? 'pwa';
  // Planner premium: the live systems as production builds them, polling operation sets quickly (as the journeys do).
  const quiet = createLogger({ level: 'warn', destination: new Writable({ write: (_c, _e, done) => done() }) });
  const bot = await startTestBot({}, system === 'planner'
    ? { scheduler: 'manual', systems: (store) => createLiveSystems({ connections: store.connections, logger: quiet, localMode: true, plannerPollIntervalMs: PLANNER_POLL_MS }) }
    : { scheduler: 'manual' });
  const store = bot.bot.store;
  let services: FlowServices;
  const turn: ActionTurn = {
    tenantId: MODEL_TENANT, conversationId: 'a:model-based-test', conversationKind: 'personal', user: { ...MODEL_USER },
    send: async () => undefined, update: async () => undefined,
  };
  const click = (verb: string, data: Record<string, unknown>): Promise<ActionReply> => handleCardAction(services, turn, { verb, data: { t: MODEL_TENANT, ...data }, trigger: 'manual' });
  const open = async (zone: string): Promise<ScenarioSystems> => {
    const [ado, plan] = await Promise.all([
      startAdoSimulator({ port: 0, seed: 'empty' }),
      system === 'planner'
        ? startDataverseSimulator({ port: 0, seed: 'demo', executionDelayMs: 0 }).then((dataverse): PlanSimulator => ({ system, dataverse }))
        : startPwaSimulator({ port: 0, queueJobMs: 0, seed: 'empty', timeZone: zone }).then((pwa): PlanSimulator => ({ system: 'pwa', pwa })),
    ]);
    const adoConnection = await store.connections.create(MODEL_TENANT, {
      kind: 'ado', name: `Model ADO ${ado.url}`, url: ado.url, auth: { type: 'pat' }, secret: ADO_DEMO_PATS.fullAccess, ...(plan.system === 'planner' ? ownership(turn) : {}),
    });
    let planConnectionId: string;
    if (plan.system === 'pwa') {
      const pwa = plan.pwa;
      planConnectionId = (await store.connections.create(MODEL_TENANT, {
        kind: 'pwa', name: `Model PWA ${pwa.url}`, url: pwa.url, auth: { type: 'basic', username: PWA_DEMO_CREDENTIALS.username }, secret: PWA_DEMO_CREDENTIALS.password, timeZone: zone,
      })).id;
    } else {
      // "connect planner": the card's Connect button, with the access check the flow makes.
      const name = `Model Planner ${plan.dataverse.url}`;
      const reply = await click('planner.connect', { url: plan.dataverse.url, secret: DATAVERSE_DEMO_CREDENTIALS.bearerToken, timeZone: zone, name });
      const made = (await store.connections.list(MODEL_TENANT, { kind: 'planner' })).find((c) => c.name === name);
      if (!made) throw new Error(`connect planner did not connect: ${JSON.stringify(reply).slice(0, 600)}`);
      planConnectionId = made.id;
    }
    return {
      ado, plan, zone, adoConnectionId: adoConnection.id, planConnectionId,
      async close() {
        for (const id of [adoConnection.id, planConnectionId]) {
          bot.bot.flows.systems.forget(id);
          await store.connections.remove(MODEL_TENANT, id);
        }
        await Promise.all([ado.close(), plan.system === 'pwa' ? plan.pwa.close() : plan.dataverse.close()]);
      },
    };
  };

  let writes: RecordedWrite[] = [];
  let crashBudget: number | null = null;
  const spend = (): void => {
    if (crashBudget === null) return;
    if (crashBudget <= 0) throw new Crash();
    crashBudget--;
  };
  const systems = recordingSystems(bot.bot.flows.systems, (w) => writes.push(w));
  const journal = store.journal;
  const crashingStore: Store = {
    ...store,
    journal: {
      ...journal,
      recordIntent: async (...args: Parameters<typeof journal.recordIntent>) => { spend(); return journal.recordIntent(...args); },
      markDone: async (...args: Parameters<typeof journal.markDone>) => { spend(); return journal.markDone(...args); },
    },
  };
  services = { ...bot.bot.flows, systems, store: crashingStore };
  return {
    bot, system, open, click,
    takeWrites: () => { const out = writes; writes = []; return out; },
    crashAfter: (n) => { crashBudget = n; },
    services,
    async stop() {
      await bot.close();
    },
  };
}

/** The live systems, with every port write reported to `record` before it is sent. */
function recordingSystems(live: SystemAccess, record: (w: RecordedWrite) => void): SystemAccess {
  const wrapAdo = (side: AdoSide): AdoSide => ({
    ...side,
    readScope: (s) => side.readScope(s),
    readByKeys: (k) => side.readByKeys(k),
    findByMarkers: (m) => side.findByMarkers(m),
    create: (r) => { record({ side: 'ado', kind: 'create', key: r.marker, fields: r.fields, parentKey: r.parentKey }); return side.create(r); },
    update: (r) => { record({ side: 'ado', kind: 'update', key: r.key, fields: r.fields, ...(r.parentKey !== undefined ? { parentKey: r.parentKey } : {}) }); return side.update(r); },
    remove: (k, v) => { record({ side: 'ado', kind: 'delete', key: k, fields: {} }); return side.remove(k, v); },
  });
  const wrapPlan = (side: PlanSide): PlanSide => ({
    ...side,
    readScope: (s) => side.readScope(s),
    readByKeys: (p, k) => side.readByKeys(p, k),
    applyBatch: (p, ws: readonly PlanWrite[]) => {
      for (const w of ws) {
        record({ side: 'plan', kind: w.kind, key: w.key, fields: w.kind === 'delete' ? {} : w.fields, ...(w.kind !== 'delete' && w.parentKey !== undefined ? { parentKey: w.parentKey } : {}) });
      }
      return side.applyBatch(p, ws);
    },
  });
  return {
    ...live,
    adoFromInput: (u, p) => live.adoFromInput(u, p),
    ado: async (c) => {
      const d = await live.ado(c);
      return { ...d, check: () => d.check(), listProjects: () => d.listProjects(), listTeams: (p) => d.listTeams(p), areaPaths: (p) => d.areaPaths(p), iterationPaths: (p) => d.iterationPaths(p), processOf: (p) => d.processOf(p), workItemUrl: (id) => d.workItemUrl(id), side: () => wrapAdo(d.side()), ...(d.assignableUsers ? { assignableUsers: (ps: readonly string[]) => d.assignableUsers!(ps) } : {}), ...(d.workItemTypes ? { workItemTypes: (p: string) => d.workItemTypes!(p) } : {}) };
    },
    pwaFromInput: (u, c, z) => live.pwaFromInput(u, c, z),
    pwa: (c) => live.pwa(c),
    planSide: (c) => wrapPlan(live.planSide(c)),
    forget: (id) => live.forget(id),
  };
}
