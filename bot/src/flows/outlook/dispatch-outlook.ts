/** Routes the Outlook and usage intents (commands/outlook-commands.ts) to their flows. */
import type { OutlookIntent } from '../../commands/outlook-commands.js';
import type { ChatTurn } from '../chat.js';
import type { FlowServices } from '../services.js';
import { sendUsage } from '../usage.js';
import { startConnectOutlook } from './connect-outlook.js';
import { startLinkOutlook } from './link-outlook.js';
import { startOutlookSync } from './sync-outlook.js';

export function handleOutlookIntent(s: FlowServices, turn: ChatTurn, intent: OutlookIntent): Promise<void> {
  switch (intent.kind) {
    case 'connect-outlook': return startConnectOutlook(s, turn);
    case 'link-outlook': return startLinkOutlook(s, turn, intent.project);
    case 'sync-outlook': return startOutlookSync(s, turn, intent.project);
    case 'usage': return sendUsage(s, turn);
  }
}
