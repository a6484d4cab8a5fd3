/**
 * Approving or rejecting a previewed run, for every kind of run (work items, Outlook events): of
 * two clicks or two approvers exactly one moves the run on, and the other is told who decided.
 * The decision is recorded by name for reading and by Entra object id and Teams id for the audit.
 */
import type { Approval, IntegrationDocument, RunChanges, RunDocument, Stored } from '../store/index.js';
import type { ChatTurn } from './chat.js';
import type { FlowServices } from './services.js';

/** Who pressed the button, for cards. */
export const whoIs = (turn: ChatTurn): string => turn.user.name ?? turn.user.id;

const decidedBy = (turn: ChatTurn): Pick<Approval, 'by' | 'aadObjectId' | 'userId'> => ({
  by: whoIs(turn), userId: turn.user.id, ...(turn.user.aadObjectId ? { aadObjectId: turn.user.aadObjectId } : {}),
});

class AlreadyDecided extends Error {
  constructor(readonly run: RunDocument) {
    super('already decided');
  }
}

export type Decision = { decided: Stored<RunDocument> } | { message: string };

/**
 * Records `decision` on a run still awaiting approval, with `changes` (choices, summary) in the
 * same conditional write. A run someone else decided first gets that person's decision as a message.
 */
export async function decideRun(
  s: FlowServices, turn: ChatTurn, i: IntegrationDocument, run: RunDocument,
  decision: Approval['decision'], changes: (current: RunDocument) => RunChanges = () => ({}),
): Promise<Decision> {
  if (run.status !== 'awaiting-approval') return { message: alreadyMessage(run) };
  try {
    const decided = await s.store.runs.update(turn.tenantId, i.id, run.id, (current) => {
      if (current.status !== 'awaiting-approval') throw new AlreadyDecided(current);
      return {
        ...changes(current),
        status: decision === 'approved' ? 'approved' : 'rejected',
        approvals: [...current.approvals, { ...decidedBy(turn), decision, at: s.now().toISOString() }],
      };
    });
    return { decided };
  } catch (err) {
    if (err instanceof AlreadyDecided) return { message: alreadyMessage(err.run) };
    throw err;
  }
}

/** Why a run cannot be decided now, naming who decided it. */
export function alreadyMessage(run: RunDocument): string {
  const by = run.approvals.at(-1)?.by ?? 'an approver';
  switch (run.status) {
    case 'applying': case 'approved': return `${by} already approved this preview; it is being applied once.`;
    case 'succeeded': case 'partially-succeeded': case 'failed': return `${by} already approved this preview and it was applied once; see the report.`;
    case 'rejected': return `${by} rejected this preview; make a fresh one to sync.`;
    case 'expired': return 'This preview is out of date; make a fresh one.';
    default: return 'This preview cannot be approved now.';
  }
}
