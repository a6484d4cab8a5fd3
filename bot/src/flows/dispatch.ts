import { parseCommand } from '../commands/parse.js';
import type { ChatTurn } from './chat.js';
import { refuseTooLong, sendComingSoon, sendHelp, sendIncomplete, sendUnknown } from './help.js';

export interface DispatchOptions {
  maxMessageChars: number;
}

/** Routes one chat message to the flow for its intent. */
export async function handleMessageText(turn: ChatTurn, text: string, options: DispatchOptions): Promise<void> {
  if (text.length > options.maxMessageChars) {
    await refuseTooLong(turn, text.length, options.maxMessageChars);
    return;
  }
  const intent = parseCommand(text);
  switch (intent.kind) {
    case 'help':
      return sendHelp(turn);
    case 'unknown':
      return sendUnknown(turn, intent);
    case 'incomplete':
      return sendIncomplete(turn, intent);
    default:
      // Recognised commands whose journeys are not built yet (see COMMANDS[].available).
      return sendComingSoon(turn, intent.kind);
  }
}
