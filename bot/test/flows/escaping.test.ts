import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journey, TENANT } from '../support/journey.js';
import { cardOf } from '../support/fake-connector.js';
import { connectBoth } from './support.js';

/**
 * Nothing a user types is rendered as markdown: typed text may only come back inside TextRuns
 * (RichTextBlock) or input values, which Teams shows literally, never in a TextBlock or FactSet.
 */
describe('typed text is never rendered as markdown', () => {
  const j = new Journey();
  const EVIL = '**loud** [click](https://e.vil/x)';
  beforeAll(async () => {
    await j.start();
    await connectBoth(j);
  });
  afterAll(() => j.stop());

  /** TextBlock texts and FactSet values of every card sent or returned. */
  function markdownTexts(card: unknown, out: string[] = []): string[] {
    if (Array.isArray(card)) card.forEach((c) => markdownTexts(c, out));
    else if (card && typeof card === 'object') {
      const o = card as Record<string, unknown>;
      if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
      if (o.type === 'FactSet') for (const f of (o.facts as Array<{ title: string; value: string }>) ?? []) out.push(f.title, f.value);
      for (const v of Object.values(o)) if (typeof v === 'object') markdownTexts(v, out);
    }
    return out;
  }

  it('commands, names and inputs with markdown come back literally', async () => {
    const returned: unknown[] = [];
    for (const command of [`link project ${EVIL} to ADO project ${EVIL}`, `sync ${EVIL}`, `history ${EVIL}`, `status ${EVIL}`, `connect ${EVIL}`, `schedule ${EVIL} daily at 25:00`, EVIL]) {
      returned.push((await j.say(command)).card);
    }
    const { card } = await j.say('connections');
    const id = (await j.bot.bot.store.connections.list(TENANT))[0]!.id;
    returned.push((await j.click(card, 'Save name', { [`name_${id.replace(/[^A-Za-z0-9]/g, '')}`]: EVIL }, { where: { connectionId: id } })).card);
    const ado = await j.say('connect ado');
    returned.push((await j.click(ado.card, 'Connect', { url: EVIL, pat: 'x', name: EVIL })).card);
    const all = [...returned, ...j.activities.map(cardOf)];
    expect(JSON.stringify(all)).toContain('e.vil');
    const rendered = markdownTexts(all).join('\n');
    expect(rendered).not.toContain('e.vil');
    expect(rendered).not.toContain('**loud**');
  });
});
