/**
 * `npm run oracle -- --seeds N [--first S] [--rounds R]` or `-- --seed S`: the model-based test of
 * the sync run path, at any size. Prints each failing seed with how to replay it, and the totals.
 */
import { CI_OPTIONS, runScenario } from '../bot/test/runs/model/scenario.js';
import { startModelWorld } from '../bot/test/runs/model/world.js';

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? Number(process.argv[i + 1]) : undefined;
}

const only = arg('seed');
const first = only ?? arg('first') ?? 1;
const count = only !== undefined ? 1 : arg('seeds') ?? 50;
const options = { ...CI_OPTIONS, ...(arg('rounds') !== undefined ? { rounds: arg('rounds')! } : {}) };
const world = await startModelWorld();
const totals = { seeds: 0, rounds: 0, operations: 0, crashes: 0, faults: 0, violations: 0 };
const started = Date.now();
try {
  for (let seed = first; seed < first + count; seed++) {
    const report = await runScenario(world, seed, options);
    totals.seeds++;
    totals.rounds += report.rounds;
    totals.operations += report.operations;
    totals.crashes += report.crashes;
    totals.faults += report.faults;
    totals.violations += report.violations.length;
    if (report.violations.length > 0) {
      console.log(`seed ${seed} (${report.setup}): ${report.violations.length} violation(s); replay: npm run oracle -- --seed ${seed}`);
      for (const v of report.violations.slice(0, 5)) console.log(`  - ${v}`);
    } else if (only !== undefined || seed % 25 === 0) console.log(`seed ${seed} ok (${report.setup})`);
  }
} finally {
  await world.stop();
}
console.log(`oracle: ${totals.seeds} seeds, ${totals.rounds} rounds, ${totals.operations} writes applied, ${totals.crashes} crashes injected, ${totals.faults} throttling faults, ${totals.violations} violations, ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = totals.violations > 0 ? 1 : 0;
