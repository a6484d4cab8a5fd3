import { expect } from 'vitest';
import { PlanConnectorError } from '../../../src/connectors/ppm.js';
import { PwaConnector, type PwaConnectorOptions } from '../../../src/connectors/pwa/connector.js';
import type { PwaAuth } from '../../../src/connectors/pwa/auth.js';
import type { PwaJsonFormat } from '../../../src/connectors/pwa/client.js';
import { PWA_DEMO_CREDENTIALS, type PwaSimulator } from '../../../../sim/pwa/server.js';

export type AuthKind = 'oauth' | 'onprem' | 'ntlm';

export function demoAuth(kind: AuthKind): PwaAuth {
  if (kind === 'oauth') return { kind: 'oauth', getAccessToken: async () => PWA_DEMO_CREDENTIALS.bearerToken };
  return { kind, username: PWA_DEMO_CREDENTIALS.username, password: PWA_DEMO_CREDENTIALS.password };
}

/** A connector against the simulator with fast queue polling and recorded (not real) throttling waits. */
export function connectorFor(sim: PwaSimulator, kind: AuthKind, format: PwaJsonFormat, extra: Partial<PwaConnectorOptions> = {}): PwaConnector & { waits: number[] } {
  const waits: number[] = [];
  const connector = new PwaConnector({
    siteUrl: sim.url,
    auth: demoAuth(kind),
    format,
    pollIntervalMs: 10,
    queueTimeoutMs: 10_000,
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((r) => setTimeout(r, Math.min(ms, 10)));
    },
    ...extra,
  });
  return Object.assign(connector, { waits });
}

export const MATRIX: Array<[AuthKind, PwaJsonFormat]> = [
  ['oauth', 'nometadata'],
  ['oauth', 'verbose'],
  ['onprem', 'nometadata'],
  ['onprem', 'verbose'],
  ['ntlm', 'nometadata'],
];

/** The PlanConnectorError a call rejects with (the test fails if it resolves or throws anything else). */
export async function failure(p: Promise<unknown>): Promise<PlanConnectorError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(PlanConnectorError);
  return err as PlanConnectorError;
}
