import { encodePng, fillRect, pngDataUri, raster } from './png.js';

/**
 * The usage trend as a small stacked bar chart (one bar per 30-day window, oldest left; work items
 * below, events on top), as a PNG data URI a card's Image shows. A few hundred bytes: the card
 * limit is 28 KB. The numbers themselves are in the card's text, for screen readers.
 */
export interface UsageBar {
  workItems: number;
  events: number;
}

const WIDTH = 240;
const HEIGHT = 64;
const WHITE = [255, 255, 255] as const;
const AXIS = [200, 200, 200] as const;
const WORK_ITEMS = [0, 120, 212] as const; // Azure DevOps blue
const EVENTS = [230, 140, 20] as const; // Outlook-ish orange
const CURRENT_EVENTS = [200, 110, 0] as const;

export function usageChartPng(bars: readonly UsageBar[]): Buffer {
  const r = raster(WIDTH, HEIGHT, WHITE);
  const max = Math.max(1, ...bars.map((b) => b.workItems + b.events));
  const slot = Math.floor(WIDTH / Math.max(bars.length, 1));
  const barWidth = Math.max(4, Math.floor(slot * 0.6));
  const plot = HEIGHT - 2;
  bars.forEach((b, n) => {
    const x = n * slot + Math.floor((slot - barWidth) / 2);
    const wi = Math.round((b.workItems / max) * plot);
    const ev = Math.round((b.events / max) * plot);
    fillRect(r, x, plot - wi, barWidth, wi, WORK_ITEMS);
    fillRect(r, x, plot - wi - ev, barWidth, ev, n === bars.length - 1 ? CURRENT_EVENTS : EVENTS);
  });
  fillRect(r, 0, HEIGHT - 2, WIDTH, 2, AXIS);
  return encodePng(r);
}

export const usageChartDataUri = (bars: readonly UsageBar[]): string => pngDataUri(usageChartPng(bars));
