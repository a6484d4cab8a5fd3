import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench [-- name ...]`: runs every benchmark module in bench/ (each exports `run()` and
 * prints its own figures), or only the named ones; `--flag value` arguments are for the benchmarks. Benchmarks are never part of `npm test`.
 * With several, each runs in a process of its own, one after another: memory figures (peak RSS
 * against a target) are then the benchmark's own, not what the ones before it left behind.
 */
interface BenchModule {
  run(): Promise<unknown>;
}

/** Benchmark names from the arguments, and the `--flag value` / `--flag=value` pairs left to the benchmarks. */
function parseArgs(args: string[]): { names: string[]; flags: string[] } {
  const names: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i]!.startsWith('--')) {
      flags.push(args[i]!);
      if (!args[i]!.includes('=') && args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) flags.push(args[++i]!);
    } else names.push(args[i]!);
  }
  return { names, flags };
}

async function main(): Promise<void> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const available = (await readdir(here))
    .filter((f) => f.endsWith('.js') && f !== 'main.js')
    .map((f) => f.slice(0, -3))
    .sort();
  const { names: wanted, flags } = parseArgs(process.argv.slice(2));
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${available.join(', ')}\n`);
    process.exit(2);
  }
  const selected = wanted.length > 0 ? wanted : available;
  if (process.env.PLANBRIDGE_BENCH_CHILD !== '1') process.stdout.write(`PlanBridge benchmarks on Node ${process.version}, ${process.platform}/${process.arch}\n`);
  if (selected.length > 1) {
    for (const name of selected) {
      const code = await inItsOwnProcess(name, flags);
      if (code !== 0) process.exit(code);
    }
    return;
  }
  for (const name of selected) {
    const mod = (await import(new URL(`./${name}.js`, import.meta.url).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') continue; // a helper module, not a benchmark
    process.stdout.write(`\n== ${name} ==\n`);
    await mod.run();
  }
}

/** Runs one benchmark as `node <same flags> main.js name <flags>`, its output going straight to ours. */
function inItsOwnProcess(name: string, flags: string[]): Promise<number> {
  const entry = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, entry, name, ...flags], { stdio: 'inherit', env: { ...process.env, PLANBRIDGE_BENCH_CHILD: '1' } });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

main().catch((err: unknown) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
