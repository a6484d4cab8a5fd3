import { graphErrors } from './errors.js';

/** One Graph call, from the socket or from a `$batch` entry, and its answer. */
export interface GraphRequest {
  method: string;
  /** The path below `/v1.0`, e.g. `/me/events/AAMk...` (still percent-encoded). */
  path: string;
  query: URLSearchParams;
  /** Lowercased header names. */
  headers: Record<string, string | undefined>;
  body: string;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export const ok = (status: number, body: unknown, headers: Record<string, string> = {}): GraphResponse => ({ status, body, headers });

export function jsonBody(req: GraphRequest): unknown {
  if (!req.body.trim()) throw graphErrors.bodyRead('The request body is empty.');
  const type = req.headers['content-type'] ?? '';
  if (!/application\/json/i.test(type)) throw graphErrors.bodyRead(`Content-Type '${type}' is not supported; send application/json.`);
  try {
    return JSON.parse(req.body) as unknown;
  } catch (err) {
    throw graphErrors.bodyRead(`The request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** `Prefer: outlook.timezone="Pacific Standard Time", odata.maxpagesize=50` -> a map of lowercased names. */
export function parsePrefer(header: string | undefined): Map<string, string> {
  const prefs = new Map<string, string>();
  for (const part of (header ?? '').match(/(?:[^,"]|"[^"]*")+/g) ?? []) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (name) prefs.set(name, value);
  }
  return prefs;
}
