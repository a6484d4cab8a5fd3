import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { extractRateLimitHeaders } from 'azure-devops-node-api/RateLimitUtils.js';
import type { WorkItemTrackingApi } from 'azure-devops-node-api/WorkItemTrackingApi.js';
import { parseWhole } from './list-answer.js';

/**
 * One request through a client's own HTTP client (so the same auth handler, guarded agents, socket
 * timeout and no-redirect policy), with a successful answer's body handed to `onBody` chunk by
 * chunk as it arrives instead of the library's read-whole-then-JSON.parse (see list-answer.ts).
 * Failures look exactly like the library's: an Error with `statusCode`, `result` (the parsed body),
 * `responseHeaders` and `rateLimit`, which is what errors.ts and retry.ts read; a 404 resolves with
 * `found: false`, as the library resolves a null result.
 */
export type LibraryHttpClient = WorkItemTrackingApi['http'];

export interface RawAnswer {
  statusCode: number;
  found: boolean;
  headers: IncomingHttpHeaders;
  /** X-RateLimit-* and Retry-After, for the session's gate. */
  rateLimit?: unknown;
}

const gunzipAsync = promisify(gunzip);
const GZIP = /(gzip$)|(gzip, *deflate)/;

export async function rawRequest(
  client: LibraryHttpClient, method: 'GET' | 'POST', url: string, headers: Record<string, string>, data: string | null, onBody: (chunk: Buffer) => void,
): Promise<RawAnswer> {
  const res = await client.request(method, url, data as string, headers);
  const statusCode = res.message.statusCode ?? 0;
  const answer: RawAnswer = { statusCode, found: statusCode !== 404, headers: res.message.headers };
  extractRateLimitHeaders(res.message.headers, answer);
  const gzipped = GZIP.test(String(res.message.headers['content-encoding'] ?? ''));
  if (statusCode <= 299 && !gzipped) {
    await readAll(res.message, onBody);
    return answer;
  }
  const chunks: Buffer[] = [];
  await readAll(res.message, (c) => chunks.push(c));
  const body = gzipped ? await gunzipAsync(Buffer.concat(chunks)) : Buffer.concat(chunks);
  if (statusCode > 299 && statusCode !== 404) throw libraryError(statusCode, body, res.message.headers);
  if (statusCode <= 299) onBody(body);
  return answer;
}

/** Reads the body to its end; a connection lost halfway rejects (ECONNRESET), which retry.ts retries. */
function readAll(message: IncomingMessage, onChunk: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    message.on('data', (chunk: Buffer | string) => {
      // A throw here would escape into the socket's event: fail this request instead.
      try {
        onChunk(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      } catch (err) {
        message.destroy();
        reject(err);
      }
    });
    message.on('end', () => resolve());
    message.on('error', reject);
  });
}

/** As typed-rest-client's RestClient.processResponse and AdoRestClient build it. */
function libraryError(statusCode: number, body: Buffer, headers: IncomingHttpHeaders): Error {
  const result = parseWhole(body) as { message?: unknown } | undefined;
  const text = body.toString('utf8');
  const message = result && typeof result.message === 'string' && result.message ? result.message : text.length > 0 ? text : `Failed request: (${statusCode})`;
  const err = Object.assign(new Error(message), { statusCode, responseHeaders: headers }, result ? { result } : {});
  extractRateLimitHeaders(headers, err);
  if (result && typeof result === 'object') extractRateLimitHeaders(headers, result);
  return err;
}
