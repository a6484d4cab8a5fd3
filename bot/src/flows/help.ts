import { COMMANDS, commandInfo } from '../commands/catalog.js';
import type { CommandId, Intent } from '../commands/intent.js';
import type { HelpGroup } from '../cards/card-data.js';
import { renderCard, type AdaptiveCardJson } from '../cards/render.js';
import { looksLikeSecret, maskSecrets } from '../text/secrets.js';
import type { ChatTurn, ConversationKind } from './chat.js';

/** The first three things a new user should type, in the order they need them. */
const FIRST_STEPS = [
  { command: 'connect ado', why: 'Connect Azure DevOps with an organization URL and a PAT.' },
  { command: 'connect pwa', why: 'Connect your plan system: Project Web App (Project Online or Project Server), or "connect planner" for Planner premium.' },
  { command: 'link project Apollo to ADO project Phoenix', why: 'Pair a plan with an ADO project, then "sync Apollo".' },
];

const SCOPE_LABEL: Record<ConversationKind, string> = { personal: 'you', groupChat: 'this chat', channel: 'this team' };

export async function sendWelcome(turn: ChatTurn): Promise<void> {
  await turn.send({
    card: renderCard('welcome', {
      scopeLabel: SCOPE_LABEL[turn.conversationKind],
      firstSteps: FIRST_STEPS,
      docsHint: turn.conversationKind === 'personal'
        ? 'Type "help" at any time to see every command.'
        : 'Mention @PlanBridge before a command in this conversation, for example "@PlanBridge help".',
    }),
  });
}

/**
 * The catalog is fixed for the process, so the help card is rendered once, not on every "help":
 * looking it up in the render cache meant writing its 8 KB of data as the key every time.
 */
let helpCard: AdaptiveCardJson | undefined;

export async function sendHelp(turn: ChatTurn): Promise<void> {
  helpCard ??= renderCard('help', {
    groups: [...new Set(COMMANDS.map((c) => c.group))].map((title): HelpGroup => ({
      title,
      commands: COMMANDS.filter((c) => c.group === title).map((c) => ({
        usage: c.usage, description: c.description, examples: c.examples, available: c.available,
      })),
    })),
  });
  await turn.send({ card: helpCard });
}

/** Longest echo of unrecognised text; the rest is cut so a pasted essay is not repeated back. */
const ECHO_LIMIT = 80;

export async function sendUnknown(turn: ChatTurn, intent: Extract<Intent, { kind: 'unknown' }>): Promise<void> {
  // A pasted PAT or password is never repeated: masked in the echo, and a suggestion built
  // from the arguments falls back to the command's own example.
  const text = maskSecrets(intent.text);
  const typed = text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT)}...` : text;
  const s = intent.suggestion;
  const suggestion = s ? { usage: s.usage, example: looksLikeSecret(s.example) ? commandInfo(s.command).examples[0]! : s.example } : null;
  await turn.send({ card: renderCard('unknown-command', { typed, suggestion }) });
}

export async function sendIncomplete(turn: ChatTurn, intent: Extract<Intent, { kind: 'incomplete' }>): Promise<void> {
  const info = commandInfo(intent.command);
  await turn.send({
    card: renderCard('error', {
      title: `"${info.verbs[0]}" needs a little more`,
      message: intent.problem,
      hint: `Usage: ${info.usage}`,
    }),
  });
}

/** For recognised commands whose flow is not built yet: say so plainly, never pretend. */
export async function sendComingSoon(turn: ChatTurn, command: CommandId): Promise<void> {
  const info = commandInfo(command);
  await turn.send({
    card: renderCard('coming-soon', {
      title: `"${info.verbs[0]}" is not available yet`,
      summary: `I understood your request. ${info.description} This part of PlanBridge is still being built, so nothing was changed.`,
      whatWorksNow: COMMANDS.filter((c) => c.available).map((c) => `${c.usage}: ${c.description}`),
    }),
  });
}

export async function refuseTooLong(turn: ChatTurn, length: number, limit: number): Promise<void> {
  await turn.send({
    text: `That message is ${length.toLocaleString('en-US')} characters long, and I only read commands up to ` +
      `${limit.toLocaleString('en-US')} characters, so I did not act on it. Please send just the command, for example "sync Apollo".`,
  });
}
