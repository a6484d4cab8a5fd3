import { PlanConnectorError } from '../ppm.js';
import type { PwaClient, Row } from './client.js';

/** PS.JobState values that end a job. */
const JOB_STATES: Record<number, string> = {
  0: 'Unknown', 1: 'ReadyForProcessing', 2: 'SendIncomplete', 3: 'Processing', 4: 'Success', 5: 'Failed', 6: 'FailedNotBlocking',
  7: 'ProcessingDeferred', 8: 'CorrelationBlocked', 9: 'Canceled', 10: 'OnHold', 11: 'Sleeping', 12: 'ReadyForLaunch',
};
const FAILED = new Set([5, 6, 8, 9]);

export function jobStateName(state: number): string {
  return JOB_STATES[state] ?? `State${state}`;
}

export interface QueuePolling {
  pollIntervalMs: number;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
}

/** Polls `QueueJobs('{id}')` until it succeeds; throws a `queue-failed` / `queue-timeout` error otherwise. */
export async function waitForJob(client: PwaClient, projectId: string, job: Row, step: string, polling: QueuePolling): Promise<{ jobId: string; state: string }> {
  const jobId = String(job.Id);
  const deadline = Date.now() + polling.timeoutMs;
  let state = Number(job.JobState ?? 1);
  while (state !== 4) {
    if (FAILED.has(state)) {
      throw new PlanConnectorError('queue-failed', `Project Server could not ${step} the plan: queue job ${jobId} ended ${jobStateName(state)}. See the job in PWA (Settings > Manage Queue Jobs) for the reason.`, { jobState: jobStateName(state) });
    }
    if (Date.now() > deadline) {
      throw new PlanConnectorError('queue-timeout', `Project Server has not finished the ${step} job ${jobId} after ${Math.round(polling.timeoutMs / 1000)} s (still ${jobStateName(state)}). The queue may be busy; try again later.`, { jobState: jobStateName(state) });
    }
    await polling.sleep(polling.pollIntervalMs);
    const row = await client.get(`ProjectServer/Projects('${projectId}')/QueueJobs('${jobId}')`, { $select: 'Id,JobState,PercentComplete' });
    state = Number(row.JobState);
  }
  return { jobId, state: 'Success' };
}

/** Runs work for one project at a time in this process, so its queue jobs never overlap (error 26005). */
export class ProjectSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(projectId: string, work: () => Promise<T>): Promise<T> {
    const key = projectId.toLowerCase();
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.tails.set(key, next);
    void next.finally(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    }).catch(() => undefined);
    return next;
  }
}
