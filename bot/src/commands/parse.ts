import { editDistance } from '../text/edit-distance.js';
import { COMMANDS, commandInfo } from './catalog.js';
import type { CommandId, CommandSuggestion, Intent, PlanSystem, SyncDirection } from './intent.js';
import { wordsOf, type MessageWords, type Token } from './normalize.js';
import { parseScheduleSpec, SCHEDULE_KEYWORDS, splitStartDate } from './schedule-spec.js';

/**
 * The command grammar: chat text in, intent out. Pure, so every phrasing users try can be
 * pinned in a unit test. Names may be quoted ("Apollo Rollout") or bare multi-word.
 */
export function parseCommand(message: string | MessageWords): Intent {
  const { text, tokens: read } = wordsOf(message);
  let tokens = read;
  while (tokens.length > 0 && FILLER.has(tokens[0]!.word) && !tokens[0]!.quoted) tokens = tokens.slice(1);
  const verb = tokens[0]?.quoted ? undefined : tokens[0]?.word;
  const rest = tokens.slice(1);

  switch (verb) {
    case undefined:
      return tokens.length === 0 ? { kind: 'help' } : unknown(text, tokens);
    case 'help':
    case 'commands':
    case '?':
      return { kind: 'help', topic: rest[0]?.word };
    case 'connect':
    case 'add':
      return parseConnect(rest);
    case 'connections':
      return { kind: 'connections' };
    case 'list':
    case 'show':
    case 'my':
      if (rest[0]?.word === 'connections') return { kind: 'connections' };
      return unknown(text, tokens);
    case 'link':
      return parseLink(rest);
    case 'sync':
    case 'synchronize':
    case 'synchronise':
      return parseSync(rest, false);
    case 'preview':
      return parseSync(rest[0]?.word === 'sync' ? rest.slice(1) : rest, true);
    case 'status':
      return { kind: 'status', project: nameOf(dropLeading(rest, ['of', 'for', 'project'])) };
    case 'history':
    case 'runs':
      return { kind: 'history', project: nameOf(dropLeading(rest, ['of', 'for', 'project'])) };
    case 'schedule':
      return parseSchedule(rest);
    default:
      return unknown(text, tokens);
  }
}

/** Politeness and bot-addressing words some people type before the command. */
const FILLER = new Set(['please', 'pls', 'hey', 'hi', 'planbridge', '@planbridge', 'can', 'you', 'could']);

const ADO_WORDS = ['ado', 'azure-devops', 'azuredevops', 'devops', 'vsts', 'tfs', 'boards'];
const PWA_WORDS = ['pwa', 'project-online', 'projectonline', 'project-server'];
/** Planner premium (Project for the web): checked before PWA, since "project for the web" says "project" too. */
const PLANNER_WORDS = ['planner', 'planner-premium', 'dataverse', 'project-for-the-web'];

function parseConnect(rest: Token[]): Intent {
  const words = rest.map((t) => t.word);
  const joined = words.join(' ');
  let system: PlanSystem | undefined;
  if (words.some((w) => ADO_WORDS.includes(w)) || joined.includes('azure devops')) system = 'ado';
  else if (words.some((w) => PLANNER_WORDS.includes(w)) || /project for the web/.test(joined)) system = 'planner';
  else if (words.some((w) => PWA_WORDS.includes(w)) || /project (online|server|web app)|\bproject\b/.test(joined)) system = 'pwa';
  if (rest.length > 0 && system === undefined) {
    return { kind: 'incomplete', command: 'connect', problem: `I can connect "ado" (Azure DevOps), "pwa" (Project Web App) or "planner" (Planner premium), not "${rest.map((t) => t.text).join(' ')}".` };
  }
  return { kind: 'connect', system };
}

function parseLink(rest: Token[]): Intent {
  const body = dropLeading(rest, ['project', 'plan']);
  const to = body.findIndex((t) => !t.quoted && t.word === 'to');
  if (to < 0) {
    const planProject = nameOf(body);
    return planProject
      ? { kind: 'link', planProject }
      : { kind: 'incomplete', command: 'link', problem: 'Name the plan project, for example: link project Apollo to ADO project Phoenix' };
  }
  const planProject = nameOf(body.slice(0, to));
  const adoProject = nameOf(dropLeading(body.slice(to + 1), ['ado', 'azure', 'devops', 'project']));
  if (!planProject) return { kind: 'incomplete', command: 'link', problem: 'Name the plan project before "to", for example: link project Apollo to ADO project Phoenix' };
  return { kind: 'link', planProject, adoProject };
}

function parseSync(rest: Token[], previewOnly: boolean): Intent {
  let body = dropLeading(rest, ['project', 'plan']);
  let direction: SyncDirection | undefined;
  // Direction phrases sit at the end: "... to ADO", "... to plan", "... both ways", "... two-way".
  const tail = (n: number) => body.slice(-n).map((t) => (t.quoted ? '\u0000' : t.word)).join(' ');
  const endings: Array<[string, number, SyncDirection | 'preview']> = [
    ['both ways', 2, 'both'], ['two ways', 2, 'both'], ['two-way', 1, 'both'], ['2-way', 1, 'both'], ['bidirectional', 1, 'both'],
    ['to ado', 2, 'to-ado'], ['to azure devops', 3, 'to-ado'], ['to devops', 2, 'to-ado'],
    ['to plan', 2, 'to-plan'], ['to pwa', 2, 'to-plan'], ['to project', 2, 'to-plan'], ['from ado', 2, 'to-plan'],
    ['to project online', 3, 'to-plan'], ['preview', 1, 'preview'], ['dry run', 2, 'preview'], ['dry-run', 1, 'preview'],
  ];
  for (let matched = true; matched;) {
    matched = false;
    for (const [phrase, n, meaning] of endings) {
      if (body.length > n && tail(n) === phrase) {
        if (meaning === 'preview') previewOnly = true;
        else direction = meaning;
        body = body.slice(0, -n);
        matched = true;
        break;
      }
    }
  }
  const project = nameOf(body);
  if (!project) {
    return { kind: 'incomplete', command: 'sync', problem: 'Which project? For example: sync project Apollo to ADO' };
  }
  return { kind: 'sync', project, direction, previewOnly };
}

function parseSchedule(rest: Token[]): Intent {
  const body = dropLeading(rest, ['project', 'plan']);
  const specStart = body.findIndex((t) => !t.quoted && SCHEDULE_KEYWORDS.has(t.word));
  const project = nameOf(specStart < 0 ? body : body.slice(0, specStart));
  if (!project) return { kind: 'incomplete', command: 'schedule', problem: 'Name the project first, for example: schedule Apollo daily at 09:00 Europe/Berlin' };
  if (specStart < 0) return { kind: 'incomplete', command: 'schedule', problem: `Say how often to sync ${project}: hourly, daily at HH:MM, weekly on ‹days› at HH:MM, monthly, or off.` };
  const start = splitStartDate(body.slice(specStart));
  if (!start.ok) return { kind: 'incomplete', command: 'schedule', problem: start.problem };
  const spec = parseScheduleSpec(start.rest);
  if (!spec.ok) return { kind: 'incomplete', command: 'schedule', problem: spec.problem };
  return { kind: 'schedule', project, schedule: spec.schedule, ...(start.startDate ? { startDate: start.startDate } : {}) };
}

function dropLeading(tokens: Token[], words: string[]): Token[] {
  let i = 0;
  while (i < tokens.length - 1 && !tokens[i]!.quoted && words.includes(tokens[i]!.word)) i++;
  return tokens.slice(i);
}

function nameOf(tokens: Token[]): string | undefined {
  const name = tokens.map((t) => t.text).join(' ').trim();
  return name.length > 0 ? name : undefined;
}

function unknown(text: string, tokens: Token[]): Intent {
  return { kind: 'unknown', text, suggestion: suggest(tokens) };
}

/** Finds the command whose verb is closest to the first word typed ("synk" -> sync). */
function suggest(tokens: Token[]): CommandSuggestion | undefined {
  const first = tokens[0]?.word;
  if (!first) return undefined;
  let best: { id: CommandId; distance: number } | undefined;
  for (const command of COMMANDS) {
    for (const verb of command.verbs) {
      if (verb.length < 3) continue;
      const distance = editDistance(first, verb);
      const allowed = verb.length <= 4 ? 1 : 2;
      if (distance <= allowed && (!best || distance < best.distance)) best = { id: command.id, distance };
    }
  }
  if (!best) return undefined;
  const info = commandInfo(best.id);
  const args = tokens.slice(1).map((t) => (t.quoted || /\s/.test(t.text) ? `"${t.text}"` : t.text)).join(' ');
  return { command: best.id, usage: info.usage, example: args ? `${info.verbs[0]} ${args}` : info.examples[0]! };
}
