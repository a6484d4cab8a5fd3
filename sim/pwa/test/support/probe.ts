import { PWA_DEMO_CREDENTIALS, type PwaSimulator } from '../../server.js';

/** Plain HTTP against the simulator as a PWA client would call it (bearer auth, verbose JSON by default). */

export const VERBOSE = 'application/json;odata=verbose';
export const NOMETA = 'application/json;odata=nometadata';

export interface Reply {
  status: number;
  body: any;
}

export function client(sim: PwaSimulator) {
  const api = `${sim.url}/_api/ProjectServer`;
  const call = async (method: string, path: string, body?: unknown, accept = VERBOSE): Promise<Reply> => {
    const res = await fetch(`${api}/${path}`, {
      method,
      headers: { authorization: `Bearer ${PWA_DEMO_CREDENTIALS.bearerToken}`, accept, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return {
    get: (path: string, accept = VERBOSE) => call('GET', path, undefined, accept),
    post: (path: string, body?: unknown, accept = VERBOSE) => call('POST', path, body, accept),
    patch: (path: string, body: unknown, accept = VERBOSE) => call('PATCH', path, body, accept),
  };
}

/** The rows of a verbose answer, single entity or collection. */
export function rows(reply: Reply): Array<Record<string, any>> {
  const d = reply.body?.d;
  if (!d) return [];
  return Array.isArray(d.results) ? d.results : [d];
}
