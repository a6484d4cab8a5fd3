import { createCosmosScheduleBook, createMemoryScheduleBook } from '../../src/jobs/index.js';
import { openTestStore, sampleIntegration } from '../store/support.js';
import { describeScheduleBookContract } from './schedule-book.contract.js';

/** The ScheduleBook contract against every implementation: the Cosmos book (embedded store) and the memory book. */
describeScheduleBookContract('createCosmosScheduleBook on the embedded Cosmos store', async () => {
  const t = await openTestStore();
  return {
    book: createCosmosScheduleBook(t.store.integrations, t.logger),
    integration: async (tenantId, name) => ({ tenantId, integrationId: (await t.store.integrations.create(tenantId, sampleIntegration(name))).id }),
    dispose: () => t.dispose(),
  };
});

describeScheduleBookContract('createMemoryScheduleBook', async () => {
  let n = 0;
  return { book: createMemoryScheduleBook(), integration: async (tenantId) => ({ tenantId, integrationId: `integration-${++n}` }), dispose: async () => undefined };
});
