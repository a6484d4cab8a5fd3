import type { IntegrationRepository } from '../../bot/src/store/integrations.js';

/**
 * Stores `count` integrations over `tenants` tenants, each with a daily schedule whose next run
 * is one slot in [from, from + spreadMs), evenly spaced and shuffled over integrations, so slots
 * come due continuously through the run. The record is what the schedule book itself stores
 * (schedule, startAt, nextRunAt); the slot carries milliseconds, which real schedules (whole
 * minutes) never do: that is what spreads 10,000 slots instead of bunching them on minute marks.
 * Once run, each moves to the next day, so every integration runs once in the window.
 */
export async function seedSchedules(integrations: IntegrationRepository, o: { count: number; tenants: number; from: number; spreadMs: number; inFlight?: number }): Promise<void> {
  const slots = Array.from({ length: o.count }, (_, i) => o.from + Math.floor((i * o.spreadMs) / o.count));
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  let next = 0;
  const startAt = new Date(o.from - 86_400_000).toISOString();
  await Promise.all(Array.from({ length: o.inFlight ?? 32 }, async () => {
    while (next < o.count) {
      const i = next++;
      const slot = new Date(slots[i]!);
      await integrations.create(`bench-tenant-${i % o.tenants}`, {
        id: `int-${i}`, name: `Project ${i}`, planConnectionId: 'p', planProjectId: `p-${i}`, adoConnectionId: 'a', adoProjects: ['A'],
        direction: 'two-way', mapping: [], hierarchy: { levels: [], leafType: 'Task' }, notifications: { onFailure: true, onSuccess: false },
        scheduling: { schedule: { kind: 'daily', time: slot.toISOString().slice(11, 16), timeZone: 'UTC' }, startAt, nextRunAt: slot.toISOString() },
      });
    }
  }));
}
