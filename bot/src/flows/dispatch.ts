import { readWords } from '../commands/normalize.js';
import { parseCommand } from '../commands/parse.js';
import { parseOutlookCommand } from '../commands/outlook-commands.js';
import { handleOutlookIntent } from './outlook/dispatch-outlook.js';
import type { ChatTurn } from './chat.js';
import { startConnectAdo } from './connect-ado.js';
import { startConnectPwa } from './connect-pwa.js';
import { startConnectPlanner } from './connect-planner.js';
import { sendConnections } from './connections.js';
import { refuseTooLong, sendComingSoon, sendHelp, sendIncomplete, sendUnknown } from './help.js';
import { sendStatus } from './history.js';
import { startLink } from './link.js';
import { scheduleFromChat } from './schedule.js';
import type { FlowServices } from './services.js';
import { startSync } from './sync.js';

export interface DispatchOptions {
  maxMessageChars: number;
}

/** Routes one chat message to the flow for its intent. Without services only help works. */
export async function handleMessageText(turn: ChatTurn, text: string, options: DispatchOptions, services?: FlowServices): Promise<void> {
  if (text.length > options.maxMessageChars) {
    await refuseTooLong(turn, text.length, options.maxMessageChars);
    return;
  }
  // Outlook events and usage (issue 18) have their own small grammar, tried first.
  const words = readWords(text);
  const outlook = services ? parseOutlookCommand(words) : undefined;
  if (outlook) return handleOutlookIntent(services!, turn, outlook);
  const intent = parseCommand(words);
  switch (intent.kind) {
    case 'help':
      return sendHelp(turn);
    case 'unknown':
      return sendUnknown(turn, intent);
    case 'incomplete':
      return sendIncomplete(turn, intent);
    default:
      break;
  }
  if (!services) return sendComingSoon(turn, intent.kind);
  switch (intent.kind) {
    case 'connect':
      if (intent.system === 'pwa') return startConnectPwa(services, turn);
      if (intent.system === 'planner') return startConnectPlanner(services, turn);
      if (intent.system === 'ado') return startConnectAdo(turn, services.systems.adoManagedIdentity ?? false);
      await startConnectAdo(turn, services.systems.adoManagedIdentity ?? false);
      return startConnectPwa(services, turn);
    case 'connections':
      return sendConnections(services, turn);
    case 'link':
      return startLink(services, turn, intent.planProject, intent.adoProject);
    case 'sync':
      return startSync(services, turn, intent.project, intent.direction, intent.previewOnly);
    case 'status':
      return sendStatus(services, turn, intent.project, false);
    case 'history':
      return sendStatus(services, turn, intent.project, true);
    case 'schedule':
      if (!services.automation) return sendComingSoon(turn, 'schedule');
      return scheduleFromChat(services, turn, intent.project, intent.schedule, intent.startDate);
    default: {
      // Recognised commands whose journeys are not built yet (see COMMANDS[].available).
      const unbuilt: { kind: Parameters<typeof sendComingSoon>[1] } = intent;
      return sendComingSoon(turn, unbuilt.kind);
    }
  }
}
