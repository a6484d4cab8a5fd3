/**
 * The one base class of errors whose message is written for the person in the chat. Only these
 * reach a card or a message as they are; anything else (a JSON SyntaxError, a Cosmos response, a
 * bug) is shown as a generic sentence and its details stay in the logs, because its text may hold
 * anything: a path, a stack, a value a user typed.
 */
export class UserFacingError extends Error {
  /** Whether a person must fix the connection (a revoked token, a missing scope) before it can work again. */
  readonly needsAttention: boolean;

  constructor(
    /** Stable machine-readable reason, for logs, tests and failure classification. */
    readonly code: string,
    message: string,
    options: { needsAttention?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.needsAttention = options.needsAttention ?? false;
  }
}

export const GENERIC_PROBLEM = 'Something unexpected went wrong; the details are in the PlanBridge logs.';

/** What a user may be told about a failure. */
export function userMessage(err: unknown): string {
  return err instanceof UserFacingError ? err.message : GENERIC_PROBLEM;
}
