/**
 * Teams waits about 15 s for an invoke's answer, and checking a connection can take longer (an
 * unreachable host, a slow on-premises server). So a slow answer becomes a progress card at once,
 * and the card the work produces replaces it in place when it is ready; a failure does too.
 */
import type { ActionReply, ActionTurn } from './actions.js';
import { errorMessage, notice } from './card-kit.js';
import type { AdaptiveCardJson } from './chat.js';
import type { FlowServices } from './services.js';

/** Time an invoke handler may take before it answers with progress (Teams allows about 15 s). */
export const INVOKE_BUDGET_MS = 10_000;

const LATE = Symbol('late');

export async function answerInTime(
  s: FlowServices, turn: ActionTurn, label: string, progress: AdaptiveCardJson, work: () => Promise<ActionReply>,
): Promise<ActionReply> {
  const result = work();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => { timer = setTimeout(() => resolve(LATE), s.invokeBudgetMs ?? INVOKE_BUDGET_MS); });
  const first = await Promise.race([result, late]).finally(() => clearTimeout(timer));
  if (first !== LATE) return first;
  s.background.run(label, async () => {
    const reply = await result.catch((err: unknown): ActionReply => ({ message: errorMessage(err) }));
    const card = 'card' in reply ? reply.card : notice('That did not work', reply.message, { tone: 'Attention' });
    if (turn.cardActivityId) await turn.update(turn.cardActivityId, { card });
    else await turn.send({ card });
  });
  return { card: progress };
}
