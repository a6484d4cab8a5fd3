/**
 * The Outlook and usage commands, parsed before the main grammar (parse.ts) so its intents stay as
 * they are: "connect outlook", "link project ‹plan› to Outlook", "sync project ‹plan› to Outlook"
 * (or "preview ... to Outlook"), "usage". Anything else returns undefined and goes to parse.ts.
 */
import { wordsOf, type MessageWords, type Token } from './normalize.js';

export type OutlookIntent =
  | { kind: 'connect-outlook' }
  | { kind: 'link-outlook'; project: string }
  | { kind: 'sync-outlook'; project: string }
  | { kind: 'usage' };

const FILLER = new Set(['please', 'pls', 'hey', 'hi', 'planbridge', '@planbridge', 'can', 'you', 'could', 'show', 'my']);
const OUTLOOK = new Set(['outlook', 'outlook-events', 'office365', 'o365', 'calendar', 'events']);

export function parseOutlookCommand(message: string | MessageWords): OutlookIntent | undefined {
  let tokens = wordsOf(message).tokens;
  while (tokens.length > 0 && !tokens[0]!.quoted && FILLER.has(tokens[0]!.word)) tokens = tokens.slice(1);
  const words = tokens.map((t) => (t.quoted ? '\u0000' : t.word));
  const verb = words[0];
  if (verb === 'usage' || (verb === 'endpoints' && tokens.length === 1)) return tokens.length <= 2 ? { kind: 'usage' } : undefined;
  if ((verb === 'connect' || verb === 'add') && tokens.length >= 2 && tokens.slice(1).every((t) => !t.quoted) && words.slice(1).some((w) => OUTLOOK.has(w))) return { kind: 'connect-outlook' };
  if (verb !== 'link' && verb !== 'sync' && verb !== 'synchronize' && verb !== 'preview') return undefined;
  // "... to Outlook" (or "to Outlook calendar"): the target comes last.
  let body = tokens.slice(1);
  if (verb === 'preview' && body[0]?.word === 'sync') body = body.slice(1);
  let end = body.length;
  while (end > 0 && !body[end - 1]!.quoted && ['calendar', 'events', 'event'].includes(body[end - 1]!.word)) end -= 1;
  if (end < 3 || body[end - 1]!.quoted || body[end - 1]!.word !== 'outlook' || body[end - 2]!.quoted || body[end - 2]!.word !== 'to') return undefined;
  const project = nameOf(dropLeading(body.slice(0, end - 2), ['project', 'plan']));
  if (!project) return undefined;
  return verb === 'link' ? { kind: 'link-outlook', project } : { kind: 'sync-outlook', project };
}

function dropLeading(tokens: Token[], words: string[]): Token[] {
  let i = 0;
  while (i < tokens.length - 1 && !tokens[i]!.quoted && words.includes(tokens[i]!.word)) i++;
  return tokens.slice(i);
}

const nameOf = (tokens: Token[]): string => tokens.map((t) => t.text).join(' ').trim();
