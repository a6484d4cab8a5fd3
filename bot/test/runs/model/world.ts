/**
 * The world a model-based scenario runs in: the real bot's services (embedded Cosmos store, live
 * connectors, job runner), the ADO simulator and two PWA simulators whose sites sit on either side
 * of UTC. Nothing of PlanBridge's own code is replaced: the recorder only watches the ports' writes,
 * and the crash switch only makes the run journal fail, as a dying process would.
 */
import { startAdoSimulator, ADO_DEMO_PATS, type AdoSimulator } from '../../../../sim/ado/server.js';
import { startPwaSimulator, PWA_DEMO_CREDENTIALS, type PwaSimulator } from '../../../../sim/pwa/server.js';
import type { FlowServices } from '../../../src/flows/services.js';
import type { SystemAccess } from '../../../src/flows/systems.js';
import type { Store } from '../../../src/store/index.js';
import type { AdoSide, PlanSide, PlanWrite } from '../../../src/sync/ports.js';
import type { FieldValue } from '../../../src/sync/model.js';
import { startTestBot, type TestBot } from '../../support/test-bot.js';

export const MODEL_TENANT = '00000000-0000-4000-8000-00000000c0de';
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

/** Fresh simulators for one scenario, so a seed replays exactly whatever ran before it. */
export interface ScenarioSystems {
  readonly ado: AdoSimulator;
  readonly pwa: PwaSimulator;
  readonly zone: string;
  readonly adoConnectionId: string;
  readonly pwaConnectionId: string;
  close(): Promise<void>;
}

export interface ModelWorld {
  readonly bot: TestBot;
  open(zone: string): Promise<ScenarioSystems>;
  /** Writes the ports were asked to make since the last `takeWrites`. */
  takeWrites(): RecordedWrite[];
  /** The next `n` journal writes succeed, then the journal fails (a crash); null disarms. */
  crashAfter(n: number | null): void;
  /** Services as production builds them, with the recorder and crash switch in place. */
  readonly services: FlowServices;
  stop(): Promise<void>;
}

export async function startModelWorld(): Promise<ModelWorld> {
  const bot = await startTestBot({}, { scheduler: 'manual' });
  const store = bot.bot.store;
  const open = async (zone: string): Promise<ScenarioSystems> => {
    const [ado, pwa] = await Promise.all([
      startAdoSimulator({ port: 0, seed: 'empty' }),
      startPwaSimulator({ port: 0, queueJobMs: 0, seed: 'empty', timeZone: zone }),
    ]);
    const adoConnection = await store.connections.create(MODEL_TENANT, { kind: 'ado', name: `Model ADO ${ado.url}`, url: ado.url, auth: { type: 'pat' }, secret: ADO_DEMO_PATS.fullAccess });
    const pwaConnection = await store.connections.create(MODEL_TENANT, {
      kind: 'pwa', name: `Model PWA ${pwa.url}`, url: pwa.url, auth: { type: 'basic', username: PWA_DEMO_CREDENTIALS.username }, secret: PWA_DEMO_CREDENTIALS.password, timeZone: zone,
    });
    return {
      ado, pwa, zone, adoConnectionId: adoConnection.id, pwaConnectionId: pwaConnection.id,
      async close() {
        for (const id of [adoConnection.id, pwaConnection.id]) {
          bot.bot.flows.systems.forget(id);
          await store.connections.remove(MODEL_TENANT, id);
        }
        await Promise.all([ado.close(), pwa.close()]);
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
  return {
    bot, open,
    takeWrites: () => { const out = writes; writes = []; return out; },
    crashAfter: (n) => { crashBudget = n; },
    services: { ...bot.bot.flows, systems, store: crashingStore },
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
