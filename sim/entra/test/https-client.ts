import { request } from 'node:https';

/** A minimal HTTPS client that trusts only the simulator's CA (global fetch cannot take a CA). */
export interface SimResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export function call(url: string, ca: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<SimResponse> {
  const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      ca,
      headers: { ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...init.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
