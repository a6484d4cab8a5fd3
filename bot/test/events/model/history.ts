/**
 * What the model did in one scenario, kept for the oracle and for the report of a failing seed:
 * whom it assigned to which task and removed again, which of PlanBridge's events a person deleted
 * in Outlook, which cancels an approver chose, and every step in order.
 */
export class History {
  /** `${taskId}|${address}` -> times the person was assigned to the task after the plan was seeded. */
  private readonly added = new Map<string, number>();
  private readonly removed = new Map<string, number>();
  /** PlanBridge's events a person deleted in Outlook, by event id: their marker and lifetime. */
  readonly deletedInOutlook = new Map<string, { marker: string; createdMs: number; endedMs: number }>();
  /** Event ids whose cancel an approver switched on in an approval that was sent. */
  readonly cancelChosen = new Set<string>();
  readonly steps: string[] = [];

  constructor(readonly seed: number) {}

  step(text: string): void {
    this.steps.push(text);
  }

  assigned(taskId: string, address: string): void {
    const k = `${taskId.toLowerCase()}|${address.toLowerCase()}`;
    this.added.set(k, (this.added.get(k) ?? 0) + 1);
  }

  unassigned(taskId: string, address: string): void {
    const k = `${taskId.toLowerCase()}|${address.toLowerCase()}`;
    this.removed.set(k, (this.removed.get(k) ?? 0) + 1);
  }

  timesAssigned(taskId: string, address: string): number {
    return this.added.get(`${taskId.toLowerCase()}|${address.toLowerCase()}`) ?? 0;
  }

  timesUnassigned(taskId: string, address: string): number {
    return this.removed.get(`${taskId.toLowerCase()}|${address.toLowerCase()}`) ?? 0;
  }

  /** The steps, numbered, for a failure message (the last `last` of them). */
  trace(last = 200): string {
    const from = Math.max(0, this.steps.length - last);
    return this.steps.slice(from).map((s, i) => `  ${from + i + 1}. ${s}`).join('\n');
  }
}
