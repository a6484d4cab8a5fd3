import type { EntryOutcome, IntegrationKey, JobRunner, JobTrigger, ScheduleBook } from '../jobs/index.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { OutgoingMessage } from './chat.js';
import type { SignInStarter, SystemAccess } from './systems.js';

/**
 * Everything a flow may use besides the chat turn. Built once in bot.ts; tests build their own.
 * `background` tracks work that continues after an invoke has been answered (apply with progress),
 * so shutdown and tests can wait for it.
 */
export interface FlowServices {
  store: Store;
  systems: SystemAccess;
  /** Present when Microsoft 365 sign-in for PWA is configured; otherwise the card says it is not. */
  signIn?: SignInStarter;
  logger: Logger;
  /** Entra object ids (lower case) of tenant admins (PLANBRIDGE_TENANT_ADMINS); absent = nobody. */
  tenantAdmins?: ReadonlySet<string>;
  /** Local mode: http:// to loopback allowed, no OAuth sign-in configured. */
  localMode: boolean;
  now(): Date;
  background: BackgroundWork;
  /** How long an invoke may work before it answers with progress (answer-in-time.ts); tests shorten it. */
  invokeBudgetMs?: number;
  /** Holds each integration's lease: every apply (chat, card, schedule) runs inside it, never beside it. */
  runner: JobRunner;
  /** Schedules, the job runner and proactive posts; built in bot.ts once the Teams app exists. */
  automation?: Automation;
}

/** What flows need from the scheduling side of the bot. */
export interface Automation {
  book: ScheduleBook;
  /** The one runner every sync goes through (chat, card, schedule): one run per integration at a time. */
  runner: JobRunner;
  /** A scheduled integration's run now (Retry), reported like a scheduled one. */
  runNow(key: IntegrationKey, trigger: JobTrigger): Promise<EntryOutcome>;
  /** Posts to a stored conversation; undefined when the bot has no reference for it (removed, never installed). */
  post(tenantId: string, conversationId: string, message: OutgoingMessage): Promise<string | undefined>;
}

export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  run(label: string, work: () => Promise<void>): void {
    const p = work().catch((err: unknown) => {
      this.logger.error({ task: label, err: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }, 'background work failed');
    });
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  /** Resolves when nothing started so far is still running. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
