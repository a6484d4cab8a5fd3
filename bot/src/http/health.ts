import type { Server } from 'restify';

export interface StoreHealth {
  reachable: boolean;
  mode: string;
}

export interface HealthSource {
  version: string;
  startedAt: number;
  authMode: string;
  store(): Promise<StoreHealth>;
}

/** GET /healthz: 200 when everything answers, 503 when the store does not, so probes can act. */
export function registerHealthRoute(server: Server, health: HealthSource): void {
  server.get('/healthz', async (_req, res) => {
    const store = await withTimeout(health.store(), 2_000).catch(() => ({ reachable: false, mode: 'unknown' }));
    res.send(store.reachable ? 200 : 503, {
      status: store.reachable ? 'ok' : 'degraded',
      version: health.version,
      uptimeSeconds: Math.round((Date.now() - health.startedAt) / 1000),
      auth: health.authMode,
      store,
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error: unknown) => { clearTimeout(timer); reject(error); },
    );
  });
}
