import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../options.js';
import { placeProcesses } from './cores.js';
import { CountingConnector } from './connector.js';
import { drive, type LoadResult, type TurnKind } from './load.js';
import { spawnTarget, type TurnTarget } from './targets.js';

/**
 * A/B passes for PlanBridge's turns: two or more builds (or Node flags) of PlanBridge and the bare
 * echo bot, all running at once, measured round after round in a rotating order. A change worth
 * 3-5% is invisible in two separate `npm run bench -- turns` runs (the machine drifts more than
 * that between them) but shows in the ratio of variants measured in the same round.
 *
 *   node dist/bench/turns/ab.js --kind status --rounds 9 \
 *     --variant "before=/tmp/before/dist/bench/turns/bot-process.js" \
 *     --variant "after=dist/bench/turns/bot-process.js --max-semi-space-size=32"
 *
 * A variant is `name=entry [node flags...]`; the entry is a build's bench/turns/bot-process.js.
 */
interface Variant {
  name: string;
  entry: string;
  nodeArgs: string[];
}

function variantOf(spec: string): Variant {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new Error(`--variant "${spec}": write it as name=path/to/bot-process.js [node flags]`);
  const [entry, ...nodeArgs] = spec.slice(eq + 1).trim().split(/\s+/);
  return { name: spec.slice(0, eq), entry: resolve(entry!), nodeArgs };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kind: { type: 'string', default: 'status' },
      conversations: { type: 'string', default: '50' },
      turns: { type: 'string', default: '20' },
      rounds: { type: 'string', default: '9' },
      /** New conversations every round, as `npm run bench -- turns` does (each first turn stores a reference); otherwise the same ones. */
      fresh: { type: 'boolean', default: false },
      /** Rounds of chat turns in new conversations before measuring (each stores a reference), as the cases before the last one in `npm run bench -- turns`. */
      history: { type: 'string', default: '0' },
      /** Turns per conversation of each kind in the warm-up (10 conversations). */
      warm: { type: 'string', default: '100' },
      variant: { type: 'string', multiple: true, default: [] },
      /** Node flags for the bare bot too, e.g. --bare-node-args="--cpu-prof --cpu-prof-dir=prof/bare" to compare profiles. */
      'bare-node-args': { type: 'string', default: '' },
    },
  });
  const kind = values.kind as TurnKind;
  if (!['help', 'status', 'connections', 'card'].includes(kind)) throw new Error(`--kind must be help, status, connections or card, not "${kind}"`);
  const variants = values.variant.map(variantOf);
  if (variants.length === 0) throw new Error('name at least one --variant');
  const load = { kind, conversations: Number(values.conversations), turns: Number(values.turns), warmup: 2 };
  const rounds = Number(values.rounds);

  const placement = placeProcesses();
  const connector = await new CountingConnector().start();
  const bots = new Map<string, TurnTarget>();
  try {
    const bareNodeArgs = values['bare-node-args'].split(/\s+/).filter(Boolean);
    bots.set('bare', await spawnTarget('bare', { prefix: placement.botPrefix, nodeArgs: bareNodeArgs }));
    for (const v of variants) bots.set(v.name, await spawnTarget('planbridge', { prefix: placement.botPrefix, entry: v.entry, nodeArgs: v.nodeArgs }));
    const names = [...bots.keys()];
    // Every kind of turn first, as in `npm run bench -- turns` (and in use): code that has seen them all is measured.
    for (const name of names) for (const k of ['help', 'status', 'connections', 'card', kind] as const) await drive(bots.get(name)!, connector, { kind: k, conversations: 10, turns: Number(values.warm), warmup: 0 }, name);
    for (let h = 0; h < Number(values.history); h++) {
      for (const name of names) await drive(bots.get(name)!, connector, { kind: 'status', conversations: 50, turns: 20, warmup: 2 }, `${name}-history-${h}`);
    }
    const results = new Map<string, LoadResult[]>(names.map((n) => [n, []]));
    const cpu = new Map<string, number[]>(names.map((n) => [n, []]));
    process.stdout.write(`${kind}, ${load.conversations} conv × ${load.turns}, ${rounds} rounds; ${placement.description}\n`);
    for (let r = 0; r < rounds; r++) {
      const order = names.map((_, i) => names[(i + r) % names.length]!);
      for (const name of order) {
        const bot = bots.get(name)!;
        const before = cpuSeconds(bot.pid!);
        const result = await drive(bot, connector, load, values.fresh ? `${name}-${r}` : name);
        results.get(name)!.push(result);
        cpu.get(name)!.push(((cpuSeconds(bot.pid!) - before) * 1e6) / result.turns);
      }
      process.stdout.write(`round ${r + 1}: ${names.map((n) => `${n} ${results.get(n)![r]!.turnsPerSecond.toFixed(0)}/s ${cpu.get(n)![r]!.toFixed(0)} µs`).join(', ')}\n`);
    }
    const bare = results.get('bare')!;
    const first = results.get(variants[0]!.name)!;
    for (const v of variants) {
      const mine = results.get(v.name)!;
      const vsBare = median(mine.map((m, r) => m.turnsPerSecond / bare[r]!.turnsPerSecond));
      const p95vsBare = median(mine.map((m, r) => m.p95 / bare[r]!.p95));
      const vsFirst = median(mine.map((m, r) => m.turnsPerSecond / first[r]!.turnsPerSecond));
      const myCpu = cpu.get(v.name)!;
      const cpuVsBare = median(myCpu.map((c, r) => c / cpu.get('bare')![r]!));
      const cpuVsFirst = median(myCpu.map((c, r) => c / cpu.get(variants[0]!.name)![r]!));
      process.stdout.write(`${v.name.padEnd(12)} throughput ${vsBare.toFixed(3)}× bare, p95 ${p95vsBare.toFixed(3)}× bare, ${vsFirst.toFixed(3)}× ${variants[0]!.name}; ` +
        `CPU ${median(myCpu).toFixed(0)} µs/turn, ${cpuVsBare.toFixed(3)}× bare, ${cpuVsFirst.toFixed(3)}× ${variants[0]!.name} (medians of per-round ratios)\n`);
    }
  } finally {
    await Promise.all([...bots.values()].map((b) => b.stop()));
    await connector.stop();
    placement.release();
  }
}

/** CPU time (user + system) the process has used so far, from /proc (Linux only). */
function cpuSeconds(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}
/** USER_HZ: the unit of /proc times, 100 on every Linux this runs on (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

main().catch((err: unknown) => {
  process.stderr.write(`turns A/B failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
