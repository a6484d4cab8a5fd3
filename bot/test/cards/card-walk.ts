/** Reads an expanded card the way a user sees it: the lines of text and the buttons. */

type Node = Record<string, unknown>;

function* nodes(value: unknown): Generator<Node> {
  if (Array.isArray(value)) {
    for (const item of value) yield* nodes(item);
  } else if (typeof value === 'object' && value !== null) {
    yield value as Node;
    for (const child of Object.values(value)) yield* nodes(child);
  }
}

/** Every TextBlock's text, and every RichTextBlock's runs joined into one line, in card order. */
export function visibleTexts(card: unknown): string[] {
  const texts: string[] = [];
  for (const node of nodes(card)) {
    if (node['type'] === 'TextBlock') texts.push(String(node['text']));
    if (node['type'] === 'RichTextBlock') {
      const runs = (node['inlines'] as unknown[]).map((run) => (typeof run === 'string' ? run : String((run as Node)['text'])));
      texts.push(runs.join(''));
    }
  }
  return texts;
}

export interface ChatButton {
  title: string;
  /** The text the button types into the chat. */
  value: string;
}

/** Action.Submit buttons that post a chat message (Teams imBack), anywhere in the card. */
export function imBackButtons(card: unknown): ChatButton[] {
  const buttons: ChatButton[] = [];
  for (const node of nodes(card)) {
    if (node['type'] !== 'Action.Submit') continue;
    const msteams = (node['data'] as { msteams?: { type?: unknown; value?: unknown } } | undefined)?.msteams;
    if (msteams?.type === 'imBack') buttons.push({ title: String(node['title']), value: String(msteams.value) });
  }
  return buttons;
}

/** Every action of any type, so tests can prove nothing was injected. */
export function actionTypes(card: unknown): string[] {
  return [...nodes(card)].map((n) => n['type']).filter((t): t is string => typeof t === 'string' && t.startsWith('Action.'));
}
