/**
 * The accessibility and size lint every card passes, templates and the cards journeys really send:
 * valid Adaptive Card 1.5, every input labelled (screen readers announce the label, not the
 * placeholder), every action titled, and the card under Teams' size limit.
 */
import { adaptiveCardCheck } from './card-schema.js';

/** Teams refuses a message whose card is over 28 KB ("Cards reference", Teams platform docs). */
export const MAX_CARD_BYTES = 28 * 1024;

type Node = Record<string, unknown>;

function* walk(value: unknown, path: string): Generator<[Node, string]> {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* walk(item, `${path}/${i}`);
  } else if (typeof value === 'object' && value !== null) {
    yield [value as Node, path];
    for (const [key, child] of Object.entries(value)) yield* walk(child, `${path}/${key}`);
  }
}

const blank = (v: unknown): boolean => typeof v !== 'string' || v.trim() === '';

/** Problems with one expanded card, as "where: what" lines; [] when it passes. */
export function lintCard(card: unknown, where = 'card'): string[] {
  const problems = adaptiveCardCheck()(card).map((e) => `${where}${e}`);
  for (const [node, path] of walk(card, '')) {
    const type = node['type'];
    if (typeof type !== 'string') continue;
    if (type.startsWith('Input.') && blank(node['label'])) problems.push(`${where}${path}: ${type} "${String(node['id'])}" has no label`);
    // The refresh action runs on its own when the card opens; nobody sees or presses it.
    if (type.startsWith('Action.') && !path.startsWith('/refresh/') && blank(node['title'])) problems.push(`${where}${path}: ${type} has no title`);
  }
  const bytes = Buffer.byteLength(JSON.stringify(card));
  if (bytes > MAX_CARD_BYTES) problems.push(`${where}: ${bytes} bytes, over Teams' ${MAX_CARD_BYTES}-byte card limit`);
  return problems;
}
