import { graphErrors } from './errors.js';
import { jsonBody, ok, type GraphRequest, type GraphResponse } from './wire.js';

/**
 * JSON batching [notes "$batch", concepts/json-batching.md]: at most 20 requests; `dependsOn`
 * orders them and a failed dependency gives 424; each inner request is checked and throttled on
 * its own (it may get 429); Outlook runs at most 4 of one batch at a time. The answers come back
 * in an order of the simulator's choosing (not the request order), as Graph allows.
 */
export const BATCH_LIMIT = 20;
const OUTLOOK_BATCH_PARALLELISM = 4;

interface BatchEntry {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

function readBatch(req: GraphRequest): BatchEntry[] {
  const payload = jsonBody(req) as { requests?: unknown };
  if (!payload || !Array.isArray(payload.requests)) throw graphErrors.badBatch('Invalid batch payload format: a "requests" array is required.');
  if (payload.requests.length === 0) throw graphErrors.badBatch('Invalid batch payload format: the batch has no requests.');
  if (payload.requests.length > BATCH_LIMIT) throw graphErrors.badBatch(`Invalid batch payload format: the batch has ${payload.requests.length} requests; the limit is ${BATCH_LIMIT}.`);
  const entries = payload.requests.map((raw: unknown): BatchEntry => {
    const r = (raw ?? {}) as Record<string, unknown>;
    if (typeof r.id !== 'string' || !r.id) throw graphErrors.badBatch('Invalid batch payload format: every request needs a string id.');
    if (typeof r.method !== 'string' || typeof r.url !== 'string' || /^https?:/i.test(r.url)) throw graphErrors.badBatch(`Invalid batch payload format: request ${r.id} needs a method and a relative url.`);
    const headers = Object.fromEntries(Object.entries((r.headers ?? {}) as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v)]));
    if (r.body !== undefined && !headers['content-type']) throw graphErrors.badBatch(`Invalid batch payload format: request ${r.id} has a body but no Content-Type header.`);
    const dependsOn = Array.isArray(r.dependsOn) ? r.dependsOn.map(String) : [];
    return { id: r.id, method: r.method.toUpperCase(), url: r.url, headers, body: r.body, dependsOn };
  });
  const ids = new Set(entries.map((e) => e.id));
  if (ids.size !== entries.length) throw graphErrors.badBatch('Invalid batch payload format: request ids must be unique.');
  for (const e of entries) {
    if (e.dependsOn.some((d) => !ids.has(d) || d === e.id)) throw graphErrors.badBatch(`Invalid batch payload format: request ${e.id} depends on an unknown request.`);
  }
  return entries;
}

function innerRequest(entry: BatchEntry): GraphRequest {
  const url = new URL(entry.url.replace(/^\/?(v1\.0\/)?/, '/'), 'http://batch.invalid');
  const body = entry.body === undefined ? '' : typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body);
  return { method: entry.method, path: url.pathname, query: url.searchParams, headers: entry.headers, body };
}

export async function runBatch(req: GraphRequest, run: (inner: GraphRequest) => Promise<GraphResponse>): Promise<GraphResponse> {
  const entries = readBatch(req);
  const done = new Map<string, GraphResponse>();
  const answers: Array<{ id: string; status: number; headers: Record<string, string>; body: unknown }> = [];
  const pending = [...entries];
  while (pending.length > 0) {
    const ready = pending.filter((e) => e.dependsOn.every((d) => done.has(d))).slice(0, OUTLOOK_BATCH_PARALLELISM);
    if (ready.length === 0) throw graphErrors.badBatch('Invalid batch payload format: dependsOn makes a cycle.');
    await Promise.all(ready.map(async (entry) => {
      pending.splice(pending.indexOf(entry), 1);
      const failedDependency = entry.dependsOn.some((d) => done.get(d)!.status >= 400);
      const res = failedDependency ? errorAnswer(graphErrors.failedDependency()) : await run(innerRequest(entry));
      done.set(entry.id, res);
      answers.push({ id: entry.id, status: res.status, headers: { ...(res.body === null ? {} : { 'content-type': 'application/json' }), ...res.headers }, body: res.body ?? undefined });
    }));
  }
  return ok(200, { responses: answers.reverse() });
}

function errorAnswer(err: ReturnType<typeof graphErrors.failedDependency>): GraphResponse {
  return { status: err.status, headers: err.headers, body: err.body() };
}
