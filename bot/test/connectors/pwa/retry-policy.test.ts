import { describe, expect, it } from 'vitest';
import { PWA_RETRY } from '../../../src/connectors/pwa/limits.js';
import { decideRetry } from '../../../src/net/retry-policy.js';

/** PWA's limits through the one retry policy, per status code (as bot/test/connectors/ado/retry-policy.test.ts does for ADO). */
describe('PWA retry policy', () => {
  const mid = () => 0.5;

  it.each([429, 502, 503, 504])('retries %i, honouring Retry-After in seconds or as a date', (status) => {
    expect(decideRetry({ status, retryAfter: '7', network: false }, 0, PWA_RETRY, mid)).toMatchObject({ retry: true, delayMs: 7000, fromServer: true });
    const now = Date.parse('2026-12-05T10:00:00Z');
    expect(decideRetry({ status, retryAfter: 'Sat, 05 Dec 2026 10:00:20 GMT', network: false }, 0, PWA_RETRY, mid, now)).toMatchObject({ retry: true, delayMs: 20_000 });
    expect(decideRetry({ status, network: false }, 2, PWA_RETRY, mid)).toMatchObject({ retry: true, fromServer: false });
  });

  it.each([400, 401, 403, 404, 409, 412, 500])('does not retry %i', (status) => {
    expect(decideRetry({ status, retryAfter: '1', network: false }, 0, PWA_RETRY, mid).retry).toBe(false);
  });

  it('does not send a write again after a gateway gave up on it (502, 504), but does after a refusal (429, 503)', () => {
    for (const status of [502, 504]) {
      expect(decideRetry({ status, network: false, idempotent: false }, 0, PWA_RETRY, mid)).toMatchObject({ retry: false, reason: `gateway answer ${status} on a call that may have landed` });
      expect(decideRetry({ status, network: false, idempotent: true }, 0, PWA_RETRY, mid).retry).toBe(true);
    }
    for (const status of [429, 503]) expect(decideRetry({ status, retryAfter: '1', network: false, idempotent: false }, 0, PWA_RETRY, mid).retry).toBe(true);
  });

  it('gives up when asked to wait longer than two minutes, and after four retries', () => {
    expect(decideRetry({ status: 429, retryAfter: '120', network: false }, 0, PWA_RETRY, mid).retry).toBe(true);
    expect(decideRetry({ status: 429, retryAfter: '121', network: false }, 0, PWA_RETRY, mid)).toMatchObject({ retry: false, reason: expect.stringMatching(/over the 120 s cap/) });
    expect(decideRetry({ status: 503, network: false }, PWA_RETRY.maxRetries, PWA_RETRY, mid)).toMatchObject({ retry: false, reason: 'gave up after 4 retries' });
  });

  it('retries a network error on a read with growing, jittered waits, but never on a write that may have landed', () => {
    const waits = [0, 1, 2, 3].map((n) => decideRetry({ network: true }, n, PWA_RETRY, () => 0));
    expect(waits.map((w) => (w.retry ? w.delayMs : -1))).toEqual([250, 500, 1000, 2000]);
    const high = decideRetry({ network: true }, 3, PWA_RETRY, () => 0.999);
    expect(high.retry && high.delayMs).toBeGreaterThan(3900);
    expect(decideRetry({ network: true, idempotent: false }, 0, PWA_RETRY, mid)).toMatchObject({ retry: false, reason: 'network error on a call that may have landed' });
    expect(decideRetry({ network: false }, 0, PWA_RETRY, mid)).toMatchObject({ retry: false, reason: 'not a transient failure' });
  });
});
