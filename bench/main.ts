import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench [-- name ...]`: runs every benchmark module in bench/ (each exports `run()` and
 * prints its own figures), or only the named ones; `--flag value` arguments are for the benchmarks. Benchmarks are never part of `npm test`.
 */
interface BenchModule {
  run(): Promise<unknown>;
}

/** Benchmark names from the arguments; `--flag value` / `--flag=value` pairs are left to the benchmarks. */
function namesIn(args: string[]): string[] {
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i]!.startsWith('--')) {
      if (!args[i]!.includes('=') && args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) i++;
    } else names.push(args[i]!);
  }
  return names;
}

async function main(): Promise<void> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const available = (await readdir(here))
    .filter((f) => f.endsWith('.js') && f !== 'main.js')
    .map((f) => f.slice(0, -3))
    .sort();
  const wanted = namesIn(process.argv.slice(2));
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${available.join(', ')}\n`);
    process.exit(2);
  }
  const selected = wanted.length > 0 ? wanted : available;
  process.stdout.write(`PlanBridge benchmarks on Node ${process.version}, ${process.platform}/${process.arch}\n`);
  for (const name of selected) {
    const mod = (await import(new URL(`./${name}.js`, import.meta.url).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') continue; // a helper module, not a benchmark
    process.stdout.write(`\n== ${name} ==\n`);
    await mod.run();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
