import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CardDataByName, CardName } from '../../src/cards/card-data.js';
import { cardAttachment, cardsDirectory, renderCard } from '../../src/cards/render.js';
import { lintCard } from './card-lint.js';
import { adaptiveCardCheck } from './card-schema.js';
import { actionTypes, imBackButtons, visibleTexts } from './card-walk.js';

const CARDS_DIR = cardsDirectory();
// Listed from disk so that a new template is covered without touching this file.
const TEMPLATE_NAMES = readdirSync(CARDS_DIR)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.data.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

function sampleData(name: string): unknown {
  return JSON.parse(readFileSync(join(CARDS_DIR, `${name}.data.json`), 'utf8'));
}

/** Renders by a name found on disk; the type entry is checked by tsc wherever the card is really used. */
function renderByName(name: string, data: unknown): Record<string, unknown> {
  return renderCard(name as CardName, data as CardDataByName[CardName]);
}

function expectValid(card: unknown, label: string): void {
  const errors = adaptiveCardCheck()(card);
  expect(errors, `${label} is not a valid Adaptive Card 1.5:\n  ${errors.join('\n  ')}`).toEqual([]);
}

describe('card templates', () => {
  it('finds the templates in cards/', () => {
    expect(TEMPLATE_NAMES).toEqual(expect.arrayContaining(['coming-soon', 'error', 'help', 'unknown-command', 'welcome']));
  });

  it('renders the same data to equal cards, which may be one shared card and so cannot be changed', () => {
    const data = { title: 'Same', message: 'Twice', details: ['a'], tone: 'Default', buttons: [], link: { title: '', url: '' } };
    const first = renderByName('notice', data);
    const second = renderByName('notice', data);
    expect(second).toEqual(first);
    expect(() => { (second.body as unknown[]).length = 0; }).toThrow(TypeError);
    expect(renderByName('notice', data)).toEqual(first);
    expect(renderByName('notice', { ...data, message: 'Other' })).not.toEqual(first);
  });

  describe.each(TEMPLATE_NAMES)('%s', (name) => {
    it('has sample data beside it', () => {
      const dataFile = join(CARDS_DIR, `${name}.data.json`);
      expect(existsSync(dataFile), `missing ${dataFile}: every template needs sample data for tests and the gallery`).toBe(true);
    });

    it('is an Adaptive Card 1.5 template', () => {
      const template = JSON.parse(readFileSync(join(CARDS_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
      expect(template).toMatchObject({ type: 'AdaptiveCard', version: '1.5', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
    });

    it('expands its sample data into a card that validates against the 1.5 schema', () => {
      const card = renderByName(name, sampleData(name));
      expectValid(card, `cards/${name}.json expanded with ${name}.data.json`);
      // An unbound field stays as literal "${field}" text, which users would then see.
      expect(JSON.stringify(card), 'a template field is not bound by the sample data').not.toContain('${');
    });

    it('passes the card lint: every input labelled, every action titled, under the size limit', () => {
      expect(lintCard(renderByName(name, sampleData(name)), `cards/${name}`)).toEqual([]);
    });
  });
});

describe('card lint', () => {
  it('finds an unlabelled input, an untitled action and an oversized card', () => {
    const card = {
      type: 'AdaptiveCard', version: '1.5',
      body: [{ type: 'Input.Text', id: 'name' }, { type: 'TextBlock', text: 'x'.repeat(30_000) }],
      actions: [{ type: 'Action.Execute', title: ' ', verb: 'go' }],
    };
    const problems = lintCard(card, 'sample');
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe('sample/body/0: Input.Text "name" has no label');
    expect(problems[1]).toBe('sample/actions/0: Action.Execute has no title');
    expect(problems[2]).toMatch(/^sample: \d+ bytes, over Teams' 28672-byte card limit$/);
  });
});

describe('schema check', () => {
  it('rejects a broken card, so the validation above can fail', () => {
    const broken = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock' /* no text */ }, { type: 'TextBlock', text: 'x', color: 'Purple' }],
      actions: [{ type: 'Action.Submit', title: 'Go', colour: 'red' }],
    };
    expect(adaptiveCardCheck()(broken)).toEqual([
      "/body/0: must have required property 'text'",
      '/body/1/color: must be equal to one of the allowed values: default, dark, light, accent, good, warning, attention',
      '/actions/0: must NOT have additional properties "colour"',
    ]);
  });

  it('says where the schema was expected when it is missing, instead of passing silently', () => {
    expect(() => adaptiveCardCheck('/nonexistent/shared/schemas/adaptive-card.1.5.0.json')).toThrow(
      /Adaptive Card 1\.5 schema not found at \/nonexistent\/shared\/schemas\/adaptive-card\.1\.5\.0\.json/,
    );
  });

  it('accepts the Teams msteams width extension that the 1.5 schema does not list', () => {
    const wide = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'wide' }], msteams: { width: 'Full' } };
    expect(adaptiveCardCheck()(wide)).toEqual([]);
  });
});

describe('welcome card', () => {
  const data: CardDataByName['welcome'] = {
    scopeLabel: 'this chat',
    firstSteps: [
      { command: 'connect ado', why: 'Connect Azure DevOps.' },
      { command: 'connect pwa', why: 'Connect Project Web App.' },
      { command: 'link project Apollo to ADO project Phoenix', why: 'Pair a plan with a project.' },
    ],
    docsHint: 'Mention @PlanBridge first.',
  };

  it('offers exactly one button per first step, plus "See all commands"', () => {
    const buttons = imBackButtons(renderCard('welcome', data));
    expect(buttons.map((b) => b.value)).toEqual(['connect ado', 'connect pwa', 'link project Apollo to ADO project Phoenix', 'help']);
    expect(buttons.at(-1)?.title).toBe('See all commands');
  });

  it('says what PlanBridge does for this scope and lists the steps in order', () => {
    const texts = visibleTexts(renderCard('welcome', data));
    expect(texts.some((t) => t.includes('Project Web App plans and Azure DevOps Boards in step for this chat'))).toBe(true);
    expect(texts.some((t) => /previewed and approved/.test(t))).toBe(true);
    const stepLines = texts.filter((t) => /^\d\.$/.test(t));
    expect(stepLines).toEqual(['1.', '2.', '3.']);
    expect(texts).toContain('Mention @PlanBridge first.');
  });
});

describe('help card', () => {
  const card = renderCard('help', {
    groups: [
      {
        title: 'Sync',
        commands: [
          { usage: 'help', description: 'Show commands.', examples: ['help'], available: true },
          { usage: 'sync project <name>', description: 'Preview and apply.', examples: ['sync Apollo', 'preview sync Apollo'], available: false },
        ],
      },
    ],
  });

  it('marks an unavailable command "Coming soon" instead of hiding it, and only that one', () => {
    const texts = visibleTexts(card);
    expect(texts).toContain('sync project <name>');
    expect(texts.filter((t) => t === 'Coming soon')).toHaveLength(1);
    expect(texts.indexOf('Coming soon')).toBeGreaterThan(texts.indexOf('sync project <name>'));
  });

  it('shows the examples of each command', () => {
    const texts = visibleTexts(card);
    expect(texts).toContain('Example: help');
    expect(texts.some((t) => t.includes('sync Apollo') && t.includes('preview sync Apollo'))).toBe(true);
  });
});

describe('unknown-command card', () => {
  it('without a suggestion: no "Did you mean", only a "Show help" button', () => {
    const card = renderCard('unknown-command', { typed: 'frobnicate', suggestion: null });
    const texts = visibleTexts(card);
    expect(texts[0]).toBe('I didn\'t understand "frobnicate".');
    expect(texts.join('\n')).not.toContain('Did you mean');
    expect(imBackButtons(card)).toEqual([{ title: 'Show help', value: 'help' }]);
    expectValid(card, 'unknown-command without suggestion');
  });

  it('with a suggestion: asks "Did you mean" and offers a button that runs the example', () => {
    const card = renderCard('unknown-command', { typed: 'snyc', suggestion: { usage: 'sync project <name>', example: 'sync Apollo' } });
    expect(visibleTexts(card)).toContain('Did you mean sync project <name>?');
    expect(imBackButtons(card)).toEqual([
      { title: 'Run "sync Apollo"', value: 'sync Apollo' },
      { title: 'Show help', value: 'help' },
    ]);
  });

  it('shows hostile input literally: quotes, braces and ${...} cannot inject JSON or template expressions', () => {
    const typed = '"}]}, {"type": "Action.OpenUrl", "url": "https://evil.example"} ${suggestion.usage} ${1+1} {{DATE(2017-02-14T06:08:39Z)}}';
    const card = renderCard('unknown-command', { typed, suggestion: null });
    expect(visibleTexts(card)[0]).toBe(`I didn't understand "${typed}".`);
    expect(actionTypes(card)).toEqual(['Action.Submit']);
    expectValid(card, 'unknown-command with hostile input');
  });

  it('echoes the typed text in a TextRun, which hosts never render as markdown, so a pasted link stays inert', () => {
    const typed = '[sign in here](https://evil.example) **now**';
    const card = renderCard('unknown-command', { typed, suggestion: null });
    const runs = ((card['body'] as Array<{ type: string; inlines?: Array<{ type: string; text: string }> }>)[0]?.inlines ?? []);
    expect(runs.find((r) => r.text.includes(typed))).toMatchObject({ type: 'TextRun', text: `"${typed}"` });
  });
});

describe('coming-soon card', () => {
  it('says plainly that the flow is not built and lists what works now', () => {
    const card = renderCard('coming-soon', {
      title: '"sync" is not available yet',
      summary: 'Nothing was changed.',
      whatWorksNow: ['help: Show commands.', 'status: Show status.'],
    });
    const texts = visibleTexts(card);
    expect(texts).toEqual(['Coming soon', '"sync" is not available yet', 'Nothing was changed.', 'What works now', '•  help: Show commands.', '•  status: Show status.']);
    expect(imBackButtons(card)).toEqual([{ title: 'Show help', value: 'help' }]);
  });

  it('drops the "What works now" section when nothing works yet', () => {
    const card = renderCard('coming-soon', { title: 't', summary: 's', whatWorksNow: [] });
    expect(visibleTexts(card)).not.toContain('What works now');
    expectValid(card, 'coming-soon with nothing working');
  });
});

describe('error card', () => {
  it('shows the hint and the support reference when given', () => {
    const texts = visibleTexts(renderCard('error', { title: 'PAT rejected', message: 'Missing scope.', hint: 'Add Work Items (Read & write).', reference: 'run 42' }));
    expect(texts).toEqual(['PAT rejected', 'Missing scope.', 'What you can do', 'Add Work Items (Read & write).', 'Reference for support: run 42']);
  });

  it('leaves out the optional parts when they are absent', () => {
    const card = renderCard('error', { title: 'Something failed', message: 'Try again in a minute.' });
    expect(visibleTexts(card)).toEqual(['Something failed', 'Try again in a minute.']);
    expectValid(card, 'error without hint or reference');
  });
});

describe('renderCard', () => {
  it('hands out cards nobody can edit, so a caller editing one card cannot change the next', () => {
    const first = renderCard('error', { title: 'a', message: 'b' });
    expect(() => { (first['body'] as unknown[]).length = 0; }).toThrow(TypeError);
    expect(visibleTexts(renderCard('error', { title: 'a', message: 'b' }))).toEqual(['a', 'b']);
  });

  it('leaves the caller\'s data as it was: the card holds no object of it', () => {
    const button = { title: 'Go', verb: 'conn.list', data: { t: 'tenant' }, style: 'default' as const };
    const data = { title: 'a', message: 'b', details: ['x'], tone: 'Default' as const, buttons: [button], link: { title: '', url: '' } };
    const card = renderCard('notice', data);
    expect(JSON.stringify(card)).toContain('conn.list');
    expect(Object.isFrozen(button) || Object.isFrozen(button.data) || Object.isFrozen(data.details)).toBe(false);
    button.data.t = 'changed later';
    expect(JSON.stringify(renderCard('notice', { ...data, buttons: [{ ...button, data: { t: 'tenant' } }] }))).not.toContain('changed later');
  });

  it('names the template and the path when a template file is missing', () => {
    expect(() => renderByName('no-such-card', {})).toThrow(/Card template "no-such-card" cannot be loaded from .*no-such-card\.json: the file does not exist/);
  });

  it('wraps a card as a Teams attachment', () => {
    const card = renderCard('error', { title: 'a', message: 'b' });
    expect(cardAttachment(card)).toEqual({ contentType: 'application/vnd.microsoft.card.adaptive', content: card });
  });
});
