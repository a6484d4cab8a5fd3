import type { AccessToken, TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { AdoConnectorError } from '../../../src/connectors/ado/errors.js';
import { AZURE_DEVOPS_SCOPE, EntraTokenSource, REFRESH_MARGIN_MS } from '../../../src/connectors/ado/token-source.js';

const HOUR = 3600_000;

/** A credential that hands out numbered tokens living one hour from the fake clock, or fails on demand. */
function fakeCredential(clock: { now: number }) {
  const asked: string[] = [];
  let fail: Error | undefined;
  let refreshAfter: number | undefined;
  const credential: TokenCredential = {
    async getToken(scopes) {
      asked.push(String(scopes));
      if (fail) throw fail;
      const t: AccessToken = { token: `token-${asked.length}`, expiresOnTimestamp: clock.now + HOUR, tokenType: 'Bearer' };
      return refreshAfter ? { ...t, refreshAfterTimestamp: clock.now + refreshAfter } : t;
    },
  };
  return { credential, asked, failWith: (e?: Error) => { fail = e; }, refreshAfterMs: (ms: number) => { refreshAfter = ms; } };
}

describe('Entra token source for Azure DevOps', () => {
  it('asks for the Azure DevOps resource and reuses the token until the margin before expiry', async () => {
    const clock = { now: Date.UTC(2026, 11, 5, 9) };
    const fake = fakeCredential(clock);
    const source = new EntraTokenSource(async () => fake.credential, { now: () => clock.now });
    expect(await source.token()).toBe('token-1');
    expect(fake.asked).toEqual([AZURE_DEVOPS_SCOPE]);
    clock.now += HOUR - REFRESH_MARGIN_MS - 1;
    expect(await source.token()).toBe('token-1');
    clock.now += 1;
    expect(await source.token()).toBe('token-2');
    expect(fake.asked).toHaveLength(2);
  });

  it('refreshes earlier when Entra says so (refresh_in), and at once after invalidate()', async () => {
    const clock = { now: 0 };
    const fake = fakeCredential(clock);
    fake.refreshAfterMs(30 * 60_000);
    const source = new EntraTokenSource(async () => fake.credential, { now: () => clock.now });
    await source.token();
    clock.now += 30 * 60_000;
    expect(await source.token()).toBe('token-2');
    source.invalidate();
    expect(await source.token()).toBe('token-3');
  });

  it('shares one fetch between concurrent callers', async () => {
    const clock = { now: 0 };
    const fake = fakeCredential(clock);
    const source = new EntraTokenSource(async () => fake.credential, { now: () => clock.now });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => source.token()));
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(fake.asked).toHaveLength(1);
  });

  it('keeps using a live token while Entra is briefly unreachable, then says what failed', async () => {
    const clock = { now: 0 };
    const fake = fakeCredential(clock);
    const source = new EntraTokenSource(async () => fake.credential, { now: () => clock.now });
    await source.token();
    fake.failWith(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8083'), { code: 'ECONNREFUSED' }));
    clock.now += HOUR - 60_000;
    expect(await source.token()).toBe('token-1');
    clock.now += 60_000;
    const err = await source.token().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AdoConnectorError);
    expect((err as AdoConnectorError).code).toBe('unreachable');
  });

  it('turns Entra refusals into advice, naming the AADSTS code', async () => {
    const clock = { now: 0 };
    const cases: Array<[string, RegExp]> = [
      ['AADSTS7000215: Invalid client secret provided.', /AADSTS7000215\). .*secret's Value/],
      ["AADSTS700016: Application with identifier 'x' was not found", /AADSTS700016\). .*client id/],
      ['AADSTS700027: Client assertion failed signature validation.', /AADSTS700027\). .*upload it to the app registration/],
    ];
    for (const [message, advice] of cases) {
      const fake = fakeCredential(clock);
      fake.failWith(new Error(message));
      const err = await new EntraTokenSource(async () => fake.credential, { now: () => clock.now }).token().then(() => null, (e: unknown) => e as AdoConnectorError);
      expect(err?.code).toBe('entra-rejected');
      expect(err?.needsAttention).toBe(true);
      expect(err?.message).toMatch(advice);
    }
  });
});
