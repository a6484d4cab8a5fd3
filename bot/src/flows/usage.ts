/**
 * Journey: "usage". Endpoints used in the current 30-day window, counted as FluentPro counts them
 * (one per unique task or item transferred in the window, however often it syncs and however many
 * attendees an event has; store/usage.ts), by integration and by kind, with the trend over the last
 * windows as a small chart image.
 */
import { usageChartDataUri } from '../cards/usage-chart.js';
import { renderCard } from '../cards/render.js';
import type { UsageKind } from '../store/index.js';
import type { AdaptiveCardJson, ChatTurn } from './chat.js';
import type { FlowServices } from './services.js';

export const TREND_WINDOWS = 6;
const KIND_LABEL: Record<UsageKind, string> = { 'work-item': 'work items', event: 'events' };

const day = (iso: string): string => iso.slice(0, 10);
const lastDay = (endExclusive: string): string => new Date(Date.parse(endExclusive) - 86_400_000).toISOString().slice(0, 10);

export async function usageCard(s: FlowServices, tenantId: string): Promise<AdaptiveCardJson> {
  const [{ current, trend }, integrations] = await Promise.all([
    s.store.usage.report(tenantId, TREND_WINDOWS), s.store.integrations.list(tenantId, { pageSize: 1000 }),
  ]);
  const names = new Map(integrations.items.map((i) => [i.id, i.name]));
  const w = current.window;
  const series = trend.map((t) => `${day(t.window.start)}: ${t.total}`).join(', ');
  return renderCard('usage', {
    title: `Usage: ${current.total} endpoint${current.total === 1 ? '' : 's'} this window`,
    subtitle: `Window ${day(w.start)} to ${lastDay(w.end)} (30 days). An endpoint is one task or item transferred in the window, however often it syncs and however many attendees its event has.`,
    facts: [
      { label: 'Work items (Azure DevOps)', value: String(current.byKind['work-item']) },
      { label: 'Events (Outlook)', value: String(current.byKind.event) },
      { label: 'Total', value: String(current.total) },
    ],
    byIntegration: current.byIntegration.map((c) => ({ name: names.get(c.integrationId) ?? 'a removed integration', kind: KIND_LABEL[c.kind], count: String(c.count) })),
    chart: current.total === 0 && trend.every((t) => t.total === 0)
      ? { url: '', altText: '' }
      : { url: usageChartDataUri(trend.map((t) => ({ workItems: t.byKind['work-item'], events: t.byKind.event }))), altText: `Endpoints per 30-day window, oldest first: ${series}` },
    trend: `Trend over the last ${trend.length === 1 ? 'window (the first one)' : `${trend.length} windows`}: ${series}`,
    notes: ['Blue: work items; orange: events. Windows run 30 days from the first recorded use.'],
    buttons: [],
  });
}

export async function sendUsage(s: FlowServices, turn: ChatTurn): Promise<void> {
  await turn.send({ card: await usageCard(s, turn.tenantId) });
}
