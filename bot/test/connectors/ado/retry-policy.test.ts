import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestGate } from '../../../src/net/request-gate.js';
import { DEFAULT_MAX_IN_FLIGHT } from '../../../src/connectors/ado/limits.js';
import { decideRetry, DEFAULT_RETRY, parseRetryAfter } from '../../../src/connectors/ado/retry.js';

const options = { ...DEFAULT_RETRY, random: () => 0.5 };
const httpError = (statusCode: number, headers: Record<string, string> = {}) => Object.assign(new Error(`status ${statusCode}`), { statusCode, responseHeaders: headers });
const netError = (code: string) => Object.assign(new Error(code), { code });

describe('retry policy, per status code', () => {
  it.each([
    [429, { 'retry-after': '7' }, 7000],
    [503, { 'retry-after': '3' }, 3000],
    [502, {}, 375],
    [503, {}, 375],
    [504, {}, 375],
    [429, {}, 375],
  ])('retries %i (headers %j) after %i ms on the first attempt', (status, headers, delay) => {
    const d = decideRetry(httpError(status, headers), 0, options);
    expect(d).toMatchObject({ retry: true, delayMs: delay });
  });

  it.each([400, 401, 403, 404, 409, 412, 415, 500])('never retries %i', (status) => {
    expect(decideRetry(httpError(status, { 'retry-after': '1' }), 0, options).retry).toBe(false);
  });

  it.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE'])('backs off exponentially with jitter on %s', (code) => {
    const delays = [0, 1, 2, 3].map((n) => decideRetry(netError(code), n, options));
    expect(delays.map((d) => (d.retry ? d.delayMs : -1))).toEqual([375, 750, 1500, 3000]);
    const low = decideRetry(netError(code), 2, { ...options, random: () => 0 });
    const high = decideRetry(netError(code), 2, { ...options, random: () => 0.999 });
    expect(low.retry && high.retry && low.delayMs < high.delayMs).toBe(true);
  });

  it('caps backoff at maxDelayMs and stops after maxRetries', () => {
    const late = decideRetry(netError('ECONNRESET'), 4, { ...options, maxDelayMs: 1000 });
    expect(late).toMatchObject({ retry: true, delayMs: 750 });
    expect(decideRetry(netError('ECONNRESET'), options.maxRetries, options).retry).toBe(false);
  });

  it('honours Retry-After up to 300 s and gives up beyond', () => {
    expect(decideRetry(httpError(429, { 'retry-after': '300' }), 0, options)).toMatchObject({ retry: true, delayMs: 300_000 });
    const tooLong = decideRetry(httpError(429, { 'retry-after': '301' }), 0, options);
    expect(tooLong.retry).toBe(false);
    expect(tooLong.reason).toMatch(/301 s/);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-03-01T10:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('keeps every backoff between half and all of its exponential ceiling', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
      const d = decideRetry(netError('ECONNRESET'), attempt, { ...DEFAULT_RETRY, random: () => r });
      const ceiling = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** attempt);
      return d.retry && d.delayMs >= ceiling / 2 && d.delayMs <= ceiling;
    }));
  });

  it('waits exactly what Retry-After asks, whenever it is within the cap', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 600 }), fc.constantFrom(429, 503), (seconds, status) => {
      const d = decideRetry(httpError(status, { 'retry-after': String(seconds) }), 0, options);
      return seconds <= 300 ? d.retry && d.delayMs === seconds * 1000 : !d.retry;
    }));
  });

  it('does not retry errors that are neither HTTP nor network failures', () => {
    expect(decideRetry(new Error('Failed to find api location for area: wit'), 0, options).retry).toBe(false);
  });
});

describe('request gate', () => {
  it('never runs more than maxInFlight at once', async () => {
    const gate = new RequestGate({ maxInFlight: 3 });
    let active = 0;
    let peak = 0;
    await Promise.all(Array.from({ length: 20 }, () => gate.run(async () => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 1));
      active -= 1;
    })));
    expect(peak).toBe(3);
    expect(gate.peakInFlight).toBe(3);
    expect(gate.inFlight).toBe(0);
  });

  it('holds every request during a Retry-After pause', async () => {
    let clock = 1_000_000;
    const starts: number[] = [];
    const gate = new RequestGate({ maxInFlight: DEFAULT_MAX_IN_FLIGHT, now: () => clock, sleep: async (ms) => { await Promise.resolve(); clock += ms; } });
    gate.observe({ retryAfter: 4 });
    expect(gate.pausedForMs).toBe(4000);
    await Promise.all([gate.run(async () => { starts.push(clock); }), gate.run(async () => { starts.push(clock); })]);
    expect(starts).toHaveLength(2);
    expect(starts.every((t) => t >= 1_004_000)).toBe(true);
  });

  it('spaces requests out when few remain in the rate-limit window', async () => {
    let clock = 0;
    const starts: number[] = [];
    const gate = new RequestGate({ maxInFlight: DEFAULT_MAX_IN_FLIGHT, now: () => clock, sleep: async (ms) => { clock += ms; } });
    gate.observe({ limit: 200, remaining: 10, reset: 100 }); // 100 s left, 10 requests: one per 10 s
    expect(gate.currentSpacingMs).toBe(10_000);
    for (let i = 0; i < 3; i += 1) await gate.run(async () => { starts.push(clock); });
    expect(starts).toEqual([0, 10_000, 20_000]);
    gate.observe({ limit: 200, remaining: 150 });
    expect(gate.currentSpacingMs).toBe(0);
  });
});
