/**
 * The bot was removed from a chat or channel: schedules that report there would run unseen, so
 * they are paused, and each integration's owner (the person who set it up) is told in their
 * personal chat with the bot, when the bot has one.
 */
import { describeSchedule, type Schedule } from '../schedule/index.js';
import { button, notice } from './card-kit.js';
import { personalChatOf } from './personal-chat.js';
import type { FlowServices } from './services.js';

/** Returns how many schedules were paused. */
export async function pauseSchedulesReportingTo(s: FlowServices, tenantId: string, conversationId: string): Promise<number> {
  if (!s.automation) return 0;
  const integrations = (await s.store.integrations.list(tenantId, { pageSize: 1000 })).items
    .filter((i) => i.notifications.conversationId === conversationId && i.scheduling?.nextRunAt !== undefined);
  let paused = 0;
  for (const i of integrations) {
    const entry = await s.automation.book.setPaused({ tenantId, integrationId: i.id }, true, s.now());
    if (!entry) continue;
    paused++;
    s.logger.info({ tenant: tenantId, integration: i.id }, 'schedule paused: the bot was removed from its chat');
    const owner = await personalChatOf(s, tenantId, i.createdBy);
    if (!owner || owner.conversationId === conversationId) continue;
    await s.automation.post(tenantId, owner.conversationId, {
      card: notice(`Schedule paused: ${i.name}`, `PlanBridge was removed from the chat its scheduled runs report to, so its schedule (${describeSchedule(entry.state.schedule as Schedule)}) is paused and nothing runs unseen.`, {
        tone: 'Warning',
        details: ['Add PlanBridge to a chat again and set the schedule there, or resume it from the schedule card to have its reports come here.'],
        buttons: [button(tenantId, 'Open the schedule', 'schedule.show', { integrationId: i.id })],
      }),
    }).catch((err: unknown) => s.logger.warn({ tenant: tenantId, integration: i.id, err: err instanceof Error ? err.name : 'unknown' }, 'could not tell the owner about the paused schedule'));
  }
  return paused;
}
