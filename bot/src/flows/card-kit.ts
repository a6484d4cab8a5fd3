/** Small helpers every flow uses to build cards: buttons stamped with the tenant, notices, dates. */
import type { CardButton } from '../cards/card-data.js';
import { renderCard } from '../cards/render.js';
import type { AdaptiveCardJson } from './chat.js';

export function button(tenantId: string, title: string, verb: string, data: Record<string, unknown> = {}, style: CardButton['style'] = 'default'): CardButton {
  return { title, verb, data: { ...data, t: tenantId }, style };
}

export function notice(title: string, message: string, options: { details?: string[]; tone?: 'Default' | 'Good' | 'Warning' | 'Attention'; buttons?: CardButton[]; link?: { title: string; url: string } } = {}): AdaptiveCardJson {
  return renderCard('notice', { title, message, details: options.details ?? [], tone: options.tone ?? 'Default', buttons: options.buttons ?? [], link: options.link ?? { title: '', url: '' } });
}

/** A failure whose message is written for the user (shown as is by errorMessage). */
export class FlowProblem extends Error {
  override readonly name = 'FlowProblemError';
}

/** YYYY-MM-DD of a date in UTC. */
export const day = (d: Date): string => d.toISOString().slice(0, 10);

export function errorMessage(err: unknown): string {
  // Connector and store errors carry messages written for users; anything else stays generic.
  if (err instanceof Error && /Error$/.test(err.name) && err.name !== 'Error' && err.name !== 'TypeError' && err.name !== 'RangeError') return err.message;
  return 'Something unexpected went wrong; the details are in the PlanBridge logs.';
}
