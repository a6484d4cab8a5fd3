import { startBareBot, startPlanBridge, type TurnTarget } from './targets.js';

/** Child entry of the turns benchmark: starts one bot, reports its URL over IPC, stops on SIGTERM. */
async function main(): Promise<void> {
  const kind = process.argv[2];
  if (kind !== 'bare' && kind !== 'planbridge') throw new Error(`unknown bot kind "${kind}"`);
  const target: TurnTarget = kind === 'bare' ? await startBareBot() : await startPlanBridge();
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
