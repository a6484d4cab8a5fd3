import { readFileSync } from 'node:fs';
import { startBareBot, startPlanBridge, type CardsByKind, type TurnTarget } from './targets.js';

/** Child entry of the turns benchmark: starts one bot, reports its URL over IPC, stops on SIGTERM. `bare-card` reads its cards from the file named next. */
async function main(): Promise<void> {
  const kind = process.argv[2];
  if (kind !== 'bare' && kind !== 'bare-card' && kind !== 'planbridge') throw new Error(`unknown bot kind "${kind}"`);
  const target: TurnTarget = kind === 'planbridge' ? await startPlanBridge()
    : await startBareBot('info', kind === 'bare-card' ? JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as CardsByKind : undefined);
  // Exiting normally lets --cpu-prof write its profile; a vanished parent must not leave an orphan.
  const stop = () => void target.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  process.send?.({ url: target.url });
}

main().catch((err: unknown) => {
  process.stderr.write(`turns bench bot failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
