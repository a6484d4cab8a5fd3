import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { measureTurns } from '../turns.js';
import type { TurnKind } from '../turns/load.js';

/**
 * The turns benchmark at a tiny size: every case runs against both bots and measures real turns.
 * It checks that figures exist and add up, never how fast they are.
 */
describe('bench turns (smoke)', () => {
  it('drives every case against the bare SDK bot, the bare bot carrying PlanBridge\'s cards, and PlanBridge, and reports figures', async () => {
    const kinds: TurnKind[] = ['help', 'status', 'connections', 'card'];
    const lines: string[] = [];
    const cases = await measureTurns({
      inProcess: true,
      rounds: 1,
      loads: kinds.map((kind) => ({ kind, conversations: 2, turns: 2, warmup: 1 })),
      write: (line) => lines.push(line),
    });
    expect(cases.map((c) => c.load.kind)).toEqual(kinds);
    for (const c of cases) {
      for (const r of [c.bare, c.bareCard, c.planbridge]) {
        expect(r.turns).toBe(4);
        expect(r.seconds).toBeGreaterThan(0);
        expect(r.turnsPerSecond).toBeGreaterThan(0);
        expect(r.p50).toBeGreaterThan(0);
        expect(r.p95).toBeGreaterThanOrEqual(r.p50);
      }
      expect(Number.isFinite(c.throughputRatio) && c.throughputRatio > 0).toBe(true);
      expect(c.throughputRange[0]).toBeLessThanOrEqual(c.throughputRatio);
      expect(c.throughputRange[1]).toBeGreaterThanOrEqual(c.throughputRatio);
      expect(Number.isFinite(c.p95Ratio) && c.p95Ratio > 0).toBe(true);
      expect(Number.isFinite(c.ownThroughputRatio) && c.ownThroughputRatio > 0).toBe(true);
      expect(Number.isFinite(c.ownP95Ratio) && c.ownP95Ratio > 0).toBe(true);
    }
    const table = lines.join('\n');
    expect(table).toMatch(/bare SDK/);
    expect(table).toMatch(/PlanBridge/);
    expect(table).toMatch(/bare \+ card/);
    expect(table).toMatch(/load average at start/);
  }, 120_000);
});

describe('turns A/B passes (smoke)', () => {
  it('measures two builds of PlanBridge and the echo bot in the same rounds and prints each against both', async () => {
    // The compiled driver and bot entry, as a developer runs them (npm test builds first).
    const dist = fileURLToPath(new URL('../../dist/bench/turns/', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [
      `${dist}ab.js`, '--kind', 'status', '--rounds', '2', '--conversations', '2', '--turns', '2', '--warm', '1',
      '--variant', `first=${dist}bot-process.js`, '--variant', `second=${dist}bot-process.js`,
    ], { timeout: 120_000 });
    expect(stdout).toMatch(/^round 2: bare \d+\/s \d+ µs, first \d+\/s \d+ µs, second \d+\/s \d+ µs$/m);
    expect(stdout).toMatch(/^first +throughput [\d.]+× bare, p95 [\d.]+× bare, 1\.000× first; CPU \d+ µs\/turn/m);
    expect(stdout).toMatch(/^second +throughput [\d.]+× bare, p95 [\d.]+× bare, [\d.]+× first; CPU \d+ µs\/turn/m);
  }, 150_000);
});
