import { OutlookConnector } from '../bot/src/connectors/outlook/index.js';
import { MAILBOX_CONCURRENCY } from '../bot/src/connectors/outlook/limits.js';
import type { PlanTask } from '../bot/src/connectors/ppm.js';
import {
  applyEventPlan, DEFAULT_EVENT_CONCURRENCY, markerPrefix, peopleToLookUp, planEvents,
  type EventJournal, type EventJournalEntry,
} from '../bot/src/events/index.js';
import { GRAPH_DEMO_CREDENTIALS, OUTLOOK_LIMITS, startGraphSimulator } from '../sim/graph/server.js';
import { task } from '../bot/test/events/support.js';
import { writerOf, type BenchOptions } from './options.js';

/**
 * Outlook events (issue 18) through the real OutlookConnector against the Graph simulator, with
 * 50 ms of simulated latency per request and Outlook's concurrency limit of 4 requests in flight
 * per app (`npm run bench -- outlook`): 500 tasks flagged "Create event", each assigned one to three
 * of Apollo's people, go through the sync's own steps (event-run.ts): look the people up and list
 * the integration's marked events (at once), plan with `planEvents`, then write with
 * `applyEventPlan` (journal intent, create with transactionId and marker, journal done, meter).
 * Printed: requests by kind, wall time against the latency floor, peak RSS, and the invitations the
 * simulator "sent" against the attendees (one per attendee per event, no duplicate), each with its
 * target beside the figure.
 */
const SIZES = { tasks: 500, latencyMs: 50 };
const SMOKE_SIZES = { tasks: 40, latencyMs: 2 };
const INTEGRATION = 'int-bench-outlook';
const ORGANIZER = 'pm@contoso.onmicrosoft.com';
const TIME_ZONE = 'Europe/Berlin';
/** Apollo's people in the Graph simulator's directory (sim/graph/directory.ts). */
const PEOPLE: Array<[string, string]> = [['Alice Kim', 'alice@contoso.example'], ['Bob Lee', 'bob@contoso.example'], ['Chen Wu', 'chen@contoso.example']];
/** Target: wall time within 1.5x the latency floor; peak RSS below 250 MiB. */
const RATIO_TARGET = 1.5;
const RSS_TARGET = 250 * 1024 * 1024;

export const smoke: BenchOptions = { smoke: true };

export interface OutlookBenchResult {
  readonly tasks: number;
  readonly eventsCreated: number;
  readonly requests: number;
  readonly lookupRequests: number;
  readonly listRequests: number;
  readonly createRequests: number;
  readonly throttled: number;
  readonly peakInFlight: number;
  readonly wallMs: number;
  readonly floorMs: number;
  readonly peakRssBytes: number;
  readonly attendees: number;
  readonly invitations: number;
  readonly duplicateInvitations: number;
  readonly metered: number;
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const met = (ok: boolean): string => (ok ? 'MET' : 'MISSED');

/** The run journal in memory (the store keeps it in production): an intent once, then done. */
class MemoryEventJournal implements EventJournal {
  private readonly runs = new Map<string, Map<string, EventJournalEntry>>();
  private run(runId: string): Map<string, EventJournalEntry> {
    let r = this.runs.get(runId);
    if (!r) this.runs.set(runId, (r = new Map()));
    return r;
  }
  async recordIntent(runId: string, entry: { opId: string; linkId: string; marker: string }): Promise<void> {
    if (!this.run(runId).has(entry.opId)) this.run(runId).set(entry.opId, { ...entry, state: 'intended' });
  }
  async markDone(runId: string, entry: { opId: string; linkId: string; key: string }): Promise<void> {
    const prev = this.run(runId).get(entry.opId);
    this.run(runId).set(entry.opId, { ...entry, state: 'done', ...(prev?.marker !== undefined ? { marker: prev.marker } : {}) });
  }
  async list(runId: string): Promise<EventJournalEntry[]> {
    return [...this.run(runId).values()].map((e) => ({ ...e }));
  }
}

/** `n` flagged tasks of two hours, five a day from 2 March 2026, each with one to three of PEOPLE (the 7 non-empty subsets in turn). */
function flaggedTasks(n: number): PlanTask[] {
  const out: PlanTask[] = [];
  for (let i = 0; i < n; i += 1) {
    const subset = (i % 7) + 1;
    const people = PEOPLE.filter((_, bit) => subset & (1 << bit));
    const day = new Date(Date.UTC(2026, 2, 2 + Math.floor(i / 5)));
    const date = day.toISOString().slice(0, 10);
    const hour = String(9 + (i % 5) * 2).padStart(2, '0');
    const until = String(11 + (i % 5) * 2).padStart(2, '0');
    out.push(task(String(i + 1), { name: `Review ${i + 1}`, outlinePosition: String(i + 1), start: `${date}T${hour}:00:00`, finish: `${date}T${until}:00:00` }, people));
  }
  return out;
}

export async function run(options: BenchOptions = {}): Promise<OutlookBenchResult> {
  const size = options.smoke ? SMOKE_SIZES : SIZES;
  const L = size.latencyMs;
  const write = writerOf(options);
  // The real limits: 4 requests in flight per app, 10,000 per mailbox and 10 minutes.
  const sim = await startGraphSimulator({ port: 0, seed: 'empty', latencyMs: L });
  const connector = new OutlookConnector({
    baseUrl: sim.apiUrl, auth: 'delegated', account: ORGANIZER, timeZone: TIME_ZONE,
    getAccessToken: async () => GRAPH_DEMO_CREDENTIALS.bearerToken,
  });
  const tasks = flaggedTasks(size.tasks);
  const attendees = tasks.reduce((n, t) => n + t.assignments.length, 0);
  const journal = new MemoryEventJournal();
  const metered = new Set<string>();
  try {
    write(`Graph simulator: ${L} ms latency per request; Outlook allows ${OUTLOOK_LIMITS.concurrentPerApp} requests in flight per app (the connector caps itself at ${MAILBOX_CONCURRENCY}, applyEventPlan runs ${DEFAULT_EVENT_CONCURRENCY} ops at once)`);
    (globalThis as { gc?: () => void }).gc?.();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 5);
    sim.clearRequests();
    const started = performance.now();

    // The sync's steps (bot/src/runs/event-run.ts): directory and calendar read at once, then plan, then apply.
    const [people, existing] = await Promise.all([connector.findPeople(peopleToLookUp(tasks)), connector.listMarkedEvents(markerPrefix(INTEGRATION))]);
    const planned = performance.now();
    const plan = planEvents(tasks, [], existing, { integrationId: INTEGRATION, timeZone: TIME_ZONE, people, organizer: ORGANIZER, project: { name: 'Benchmark' } });
    const outcome = await applyEventPlan(plan, { calendar: connector, journal, meter: async ({ linkId }) => void metered.add(linkId) }, { runId: 'bench-run-1' });
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const requests = [...sim.requests];
    const isCreate = (r: { method: string; path: string }) => r.method === 'POST' && /\/events(\?|$)/.test(r.path);
    const isList = (r: { method: string; path: string }) => r.method === 'GET' && /\/events(\?|$)/.test(r.path);
    const createRequests = requests.filter(isCreate).length;
    const listRequests = requests.filter(isList).length;
    const lookupRequests = requests.length - createRequests - listRequests;
    const throttled = requests.filter((r) => r.status === 429).length;
    const pm = sim.directory.find(ORGANIZER)!;
    const events = sim.calendars.inCalendar(pm.id).filter((e) => e.categories.includes('PlanBridge') && !e.isCancelled);
    const sent = sim.invitations.filter((m) => m.kind === 'request');
    const duplicates = sent.length - new Set(sent.map((m) => `${m.eventId}|${m.to}`)).size;

    /*
     * The floor: every request holds one of the 4 in-flight slots for the whole latency L, and no
     * more than 4 may be in flight (Outlook's limit per app), so N requests take at least N x L / 4
     * however they are ordered; the rest of the wall time is waiting on order (the look-ups before
     * the plan) and CPU (the simulator and the connector in one process).
     */
    const floorMs = (requests.length * L) / MAILBOX_CONCURRENCY;
    const ratio = wallMs / floorMs;
    write(`${size.tasks} tasks flagged "Create event", ${attendees} attendees in all (1 to 3 each of ${PEOPLE.length} people): ${outcome.counts.done} events written, ${outcome.counts.failed} failed; ${events.length} PlanBridge events now in ${ORGANIZER}'s calendar (target ${size.tasks}) ${met(events.length === size.tasks && outcome.counts.done === size.tasks)}`);
    write(`  requests: ${requests.length} = ${lookupRequests} directory look-ups (one per distinct person) + ${listRequests} marked-event list + ${createRequests} creates (one per event); target = tasks + people + 1 = ${size.tasks + PEOPLE.length + 1} ${met(requests.length === size.tasks + PEOPLE.length + 1)}`);
    write(`  in flight: at most ${sim.peakInFlight()} at once (limit ${OUTLOOK_LIMITS.concurrentPerApp}) ${met(sim.peakInFlight() <= OUTLOOK_LIMITS.concurrentPerApp)}; 429 answers: ${throttled} (target 0) ${met(throttled === 0)}`);
    write(`  wall time: ${secs(wallMs)} (reads ${secs(planned - started)}, plan and apply ${secs(wallMs - (planned - started))}); floor ${secs(floorMs)} = ${requests.length} requests x ${L} ms / ${MAILBOX_CONCURRENCY} in flight; ${ratio.toFixed(2)}x the floor (target <= ${RATIO_TARGET}x) ${met(ratio <= RATIO_TARGET)}`);
    write(`  peak RSS: ${mib(peakRss)} (simulator, connector and plan in one process; target < ${mib(RSS_TARGET)}) ${met(peakRss < RSS_TARGET)}`);
    write(`  invitations sent: ${sent.length} (target = attendees = ${attendees}) ${met(sent.length === attendees)}; duplicates (same event and attendee): ${duplicates} (target 0) ${met(duplicates === 0)}; other meeting mail: ${sim.invitations.length - sent.length} (target 0)`);
    write(`  usage metered: ${metered.size} endpoints (target ${size.tasks}, one per event) ${met(metered.size === size.tasks)}`);

    return {
      tasks: size.tasks, eventsCreated: events.length, requests: requests.length, lookupRequests, listRequests, createRequests, throttled,
      peakInFlight: sim.peakInFlight(), wallMs, floorMs, peakRssBytes: peakRss, attendees, invitations: sent.length, duplicateInvitations: duplicates, metered: metered.size,
    };
  } finally {
    connector.close();
    await sim.close();
  }
}
