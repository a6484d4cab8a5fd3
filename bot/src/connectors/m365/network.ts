import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';

/**
 * An MSAL network module that also trusts one extra CA: the local Entra simulator's (or a lab
 * authority with a private CA). Only MSAL's own calls use it, so nothing else in the process
 * learns to trust that CA. In production MSAL's default client is used instead.
 */
export function networkClientTrusting(caPem: string): INetworkModule {
  const ca = [...rootCertificates, caPem];
  const send = <T>(url: string, method: 'GET' | 'POST', options: NetworkRequestOptions = {}, timeoutMs?: number): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const req = request(url, { method, ca, headers: options.headers, ...(timeoutMs ? { timeout: timeoutMs } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          try {
            resolve({ headers, status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as T });
          } catch {
            reject(new Error(`the sign-in authority answered ${res.statusCode ?? '?'} with a body that is not JSON`));
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error('request to the sign-in authority timed out')));
      req.on('error', reject);
      req.end(method === 'POST' ? options.body ?? '' : undefined);
    });
  return {
    sendGetRequestAsync: (url, options, timeout) => send(url, 'GET', options, timeout),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  };
}
