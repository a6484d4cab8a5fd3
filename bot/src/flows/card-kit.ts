/** Small helpers every flow uses to build cards: buttons stamped with the tenant, notices, dates. */
import type { CardButton } from '../cards/card-data.js';
import { renderCard } from '../cards/render.js';
import type { AdaptiveCardJson } from './chat.js';
import { UserFacingError, userMessage } from '../errors.js';

export function button(tenantId: string, title: string, verb: string, data: Record<string, unknown> = {}, style: CardButton['style'] = 'default'): CardButton {
  return { title, verb, data: { ...data, t: tenantId }, style };
}

export function notice(title: string, message: string, options: { details?: string[]; tone?: 'Default' | 'Good' | 'Warning' | 'Attention'; buttons?: CardButton[]; link?: { title: string; url: string } } = {}): AdaptiveCardJson {
  return renderCard('notice', { title, message, details: options.details ?? [], tone: options.tone ?? 'Default', buttons: options.buttons ?? [], link: options.link ?? { title: '', url: '' } });
}

/** A failure a flow explains to the user in its own words. */
export class FlowProblem extends UserFacingError {
  constructor(message: string) {
    super('flow-problem', message);
  }
}

/** YYYY-MM-DD of a date in UTC. */
export const day = (d: Date): string => d.toISOString().slice(0, 10);

/** What a card may say about a failure: only messages written for users (errors.ts). */
export const errorMessage = userMessage;
