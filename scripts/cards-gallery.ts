/**
 * npm run cards:gallery: draws every card template with its sample data to PNG, in the Teams
 * light and dark themes, with the real adaptivecards renderer in headless Chromium.
 * Output: artifacts/cards/<name>.<theme>.png (git-ignored).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import type { CardDataByName, CardName } from '../bot/src/cards/card-data.js';
import { cardsDirectory, renderCard } from '../bot/src/cards/render.js';
import { ChromiumMissingError, openOfflinePage } from './gallery/browser.js';
import { IN_PAGE_RENDERER, pageHtml, THEMES } from './gallery/page.js';

interface Sample {
  name: string;
  card: Record<string, unknown>;
}

function loadSamples(cardsDir: string): Sample[] {
  const names = readdirSync(cardsDir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.data.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
  if (names.length === 0) throw new Error(`No card templates found in ${cardsDir}`);
  return names.map((name) => {
    const dataFile = join(cardsDir, `${name}.data.json`);
    if (!existsSync(dataFile)) throw new Error(`cards/${name}.json has no sample data: add ${dataFile}`);
    const data = JSON.parse(readFileSync(dataFile, 'utf8')) as CardDataByName[CardName];
    // Names come from disk; tsc checks real callers against CardDataByName.
    return { name, card: renderCard(name as CardName, data) };
  });
}

function readHostConfig(schemasDir: string, file: string): unknown {
  const path = join(schemasDir, file);
  if (!existsSync(path)) {
    throw new Error(`Teams host config not found at ${path}; the gallery reads it from the shared reference folder beside the repo.`);
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}

async function main(): Promise<void> {
  const cardsDir = cardsDirectory();
  const root = dirname(cardsDir);
  const schemasDir = join(root, '..', 'shared', 'schemas');
  const outDir = join(root, 'artifacts', 'cards');
  const rendererBundle = join(dirname(createRequire(import.meta.url).resolve('adaptivecards/package.json')), 'dist', 'adaptivecards.min.js');

  const samples = loadSamples(cardsDir);
  const hostConfigs = new Map(THEMES.map((t) => [t.name, readHostConfig(schemasDir, t.hostConfigFile)]));
  await mkdir(outDir, { recursive: true });

  const { page, close } = await openOfflinePage();
  let warnings = 0;
  try {
    for (const theme of THEMES) {
      await page.setContent(pageHtml(theme));
      await page.addScriptTag({ path: rendererBundle });
      await page.addScriptTag({ content: IN_PAGE_RENDERER });
      for (const { name, card } of samples) {
        const parseWarnings = await page.evaluate(
          ([c, h]) => (globalThis as unknown as { renderPlanBridgeCard(c: unknown, h: unknown): string[] }).renderPlanBridgeCard(c, h),
          [card, hostConfigs.get(theme.name)] as const,
        );
        for (const w of parseWarnings) console.warn(`warning: ${name} (${theme.name}): ${w}`);
        warnings += parseWarnings.length;
        const file = join(outDir, `${name}.${theme.name}.png`);
        await page.locator('#stage').screenshot({ path: file });
        console.log(relative(process.cwd(), file) || file);
      }
    }
  } finally {
    await close();
  }
  console.log(`${samples.length * THEMES.length} PNGs written to ${relative(process.cwd(), outDir) || outDir}` +
    (warnings > 0 ? ` (${warnings} renderer warnings above)` : ''));
}

main().catch((err: unknown) => {
  console.error(err instanceof ChromiumMissingError ? err.message : `cards:gallery failed: ${(err as Error).message ?? String(err)}`);
  process.exitCode = 1;
});
