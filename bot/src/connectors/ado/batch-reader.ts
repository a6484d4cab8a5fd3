import type { WorkItem } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces.js';
import type { WorkItemTrackingApi } from 'azure-devops-node-api/WorkItemTrackingApi.js';
import type { Operation } from './errors.js';
import { BATCH_MAX_IDS, ERROR_POLICY_OMIT, EXPAND_RELATIONS } from './limits.js';
import { IdentityPool } from './identity-pool.js';
import { ListAnswerParser } from './list-answer.js';
import { rawRequest } from './raw-request.js';
import type { AdoSession } from './session.js';
import type { AdoWorkItem } from './types.js';
import { toAdoWorkItem } from './workitem.js';

const EMPTY = Buffer.alloc(0);
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Work Items - Get Work Items Batch: the resource location the client library asks OPTIONS wit for. */
const BATCH_LOCATION = '908509b6-4248-4475-a1cd-829139ba419f';

/**
 * Reads work items by id, with relations, in batches of 200 that start as soon as 200 new ids are
 * known (from a WIQL page, a saved query or the caller), each capped by the session's in-flight
 * gate. Ids are read once however often they are added, and the last partial batch waits for
 * `finish()`, so a read costs ceil(unique ids / 200) requests whatever order the ids come in.
 *
 * A batch holds its slot for the HTTP exchange only (the library's path also parsed inside it):
 * its answer is parsed after, a network chunk per turn of the event loop, so the next request
 * leaves as soon as an answer is in, and a parse never delays the answers arriving meanwhile.
 */
export class BatchReader {
  /**
   * Ids added so far, to read each once. The first list, when in strictly increasing order (a WIQL
   * page), needs no set: it is kept as `first`, and the set is made only if more ids come, so the
   * batches of a one-page read leave without 10,000 set insertions before them.
   */
  private seen?: Set<number>;
  private first?: readonly number[];
  private pending: number[] = [];
  private readonly batches: Array<Promise<AdoWorkItem[]>> = [];
  private readonly identities = new IdentityPool();
  /** The client, asked for once for all the batches. */
  private wit?: Promise<WorkItemTrackingApi>;
  private readonly op: Operation;

  constructor(private readonly session: AdoSession, private readonly project?: string) {
    this.op = { what: 'read work items', scope: 'work-read', ...(project ? { project } : {}) };
  }

  add(ids: readonly number[]): void {
    if (!this.seen && !this.first && increasing(ids)) {
      this.first = ids;
      for (const id of ids) this.enqueue(id);
      return;
    }
    const seen = (this.seen ??= new Set(this.first));
    this.first = undefined;
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      this.enqueue(id);
    }
  }

  /** Every item added, in the order the ids were first added; ids that no longer exist are left out. */
  async finish(): Promise<AdoWorkItem[]> {
    if (this.pending.length > 0) this.flush();
    return (await Promise.all(this.batches)).flat();
  }

  private enqueue(id: number): void {
    this.pending.push(id);
    if (this.pending.length === BATCH_MAX_IDS) this.flush();
  }

  private flush(): void {
    const batch = this.readBatch(this.pending);
    // A read abandoned after another part failed must not surface as an unhandled rejection.
    batch.catch(() => undefined);
    this.batches.push(batch);
    this.pending = [];
  }

  private async readBatch(ids: number[]): Promise<AdoWorkItem[]> {
    const { session, op, project } = this;
    this.wit ??= session.call(op, () => session.wit());
    const wit = await this.wit;
    // The gate's slot covers the exchange, not the parsing: the answer's chunks are only kept here
    // (a retry keeps new ones), and `rateLimit` goes up to the gate.
    const { answer, chunks } = await session.call(op, async () => {
      const chunks: Buffer[] = [];
      const answer = await postBatch(wit, ids, project, (chunk) => chunks.push(chunk));
      return { answer, chunks, rateLimit: answer.rateLimit };
    });
    if (!answer.found) throw await session.explainNull(op);
    // Parsed a chunk (about 1 ms) per turn of the event loop: the request that took over the slot
    // leaves first, and answers arriving meanwhile free their slots without waiting for this one.
    // Each chunk is dropped once parsed, so its memory is soon reused.
    const parser = new ListAnswerParser((w) => this.toItem(w as WorkItem | null));
    for (let i = 0; i < chunks.length; i += 1) {
      await nextTurn();
      parser.push(chunks[i]!);
      chunks[i] = EMPTY;
    }
    const items = parser.end();
    // Not JSON (a 203 sign-in page) is a null result to the library too; JSON of another shape is not ADO.
    if (items === 'not-json') throw await session.explainNull(op);
    if (items === 'not-a-list') throw session.unexpectedAnswer(op);
    return items.filter((w): w is AdoWorkItem => w !== null);
  }

  /** Null for an id that no longer exists (errorPolicy Omit answers null for it). */
  private toItem(w: WorkItem | null): AdoWorkItem | null {
    if (w === null || w === undefined) return null;
    if (w.fields) this.identities.share(w.fields);
    return toAdoWorkItem(w);
  }
}

/** The request getWorkItemsBatch sends (route and api-version from the client's discovery), the body handed to `onBody` chunk by chunk. */
async function postBatch(wit: WorkItemTrackingApi, ids: number[], project: string | undefined, onBody: (chunk: Buffer) => void) {
  const { requestUrl, apiVersion } = await wit.vsoClient.getVersioningData('7.1-preview.1', 'wit', BATCH_LOCATION, { project });
  if (!requestUrl) throw new Error(`Failed to find api location for area: wit id: ${BATCH_LOCATION}`);
  const headers = { Accept: `application/json${apiVersion ? `;api-version=${apiVersion}` : ''}`, 'Content-Type': 'application/json; charset=utf-8' };
  return rawRequest(wit.http, 'POST', requestUrl, headers, JSON.stringify({ ids, $expand: EXPAND_RELATIONS, errorPolicy: ERROR_POLICY_OMIT }), onBody);
}

function increasing(ids: readonly number[]): boolean {
  for (let i = 1; i < ids.length; i += 1) if (!(ids[i]! > ids[i - 1]!)) return false;
  return true;
}
