import type { Locator, Page } from 'playwright-core';

/**
 * The little of the browser's DOM these helpers use inside page.evaluate. The project compiles
 * without the DOM library (it is a Node app), so the shapes are spelled out here.
 */
interface DomElement {
  innerText: string;
  textContent: string | null;
  offsetParent: unknown;
  scrollWidth: number;
  clientWidth: number;
  scrollHeight: number;
  clientHeight: number;
  querySelectorAll(selector: string): Iterable<DomElement>;
}
interface DomObserver {
  observe(target: DomElement, options: { subtree: boolean; childList: boolean; characterData: boolean }): void;
  disconnect(): void;
}
interface BrowserWindow {
  document: { body: DomElement; querySelectorAll(selector: string): Iterable<DomElement> };
  MutationObserver: new (callback: () => void) => DomObserver;
  __titles?: string[];
  __titleObserver?: DomObserver;
}

/** Text that must never reach a user: unfilled template markers, raw JSON, leaked JS values. */
export const RAW_MARKERS: Array<[string, RegExp]> = [
  ['template marker ${...}', /\$\{/],
  ['raw JSON', /\{\s*"[^"]+"\s*:|\[\s*\{\s*"/],
  ['undefined', /\bundefined\b/],
  ['null', /\bnull\b/],
  ['[object Object]', /\[object Object\]/],
  ['NaN', /\bNaN\b/],
];

/** Names every raw marker found in a card's text (empty when it reads clean). */
export function rawMarkersIn(text: string): string[] {
  return RAW_MARKERS.filter(([, re]) => re.test(text)).map(([name]) => name);
}

/**
 * Drives the Agents Playground chat like a person: type into the message box, find a bot card by
 * its title, fill its inputs by their labels, press its buttons, and photograph it.
 */
export class PlaygroundChat {
  constructor(readonly page: Page) {}

  /** Every Adaptive Card the bot posted in the chat area (the log panel is not included). */
  cards(): Locator {
    return this.page.locator('.fai-OutputCard .ac-adaptiveCard');
  }

  /** The newest card whose text starts with `title` (a card's first block is its title). */
  card(title: string | RegExp): Locator {
    const source = typeof title === 'string' ? title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : title.source;
    return this.cards().filter({ hasText: new RegExp(`^\\s*${source}`) }).last();
  }

  /** Waits for the newest card starting with `title` and returns it. */
  async waitForCard(title: string | RegExp, timeout = 30_000): Promise<Locator> {
    const card = this.card(title);
    try {
      await card.waitFor({ state: 'visible', timeout });
    } catch (err) {
      const seen = await this.cards().evaluateAll((els) => els.map((e) => (e as unknown as DomElement).innerText.split('\n')[0]));
      throw new Error(`no card starting with ${String(title)} within ${timeout / 1000} s; card titles in the chat: ${JSON.stringify(seen)}\n${(err as Error).message}`);
    }
    return card;
  }

  async send(text: string): Promise<void> {
    const box = this.page.locator('[role="textbox"][contenteditable="true"]');
    await box.click();
    await box.pressSequentially(text);
    await this.page.locator('button[aria-label="Send Message"]').click();
  }

  /** Types into the card input whose label starts with `label`. */
  async fill(card: Locator, label: string, value: string): Promise<void> {
    const input = this.input(card, label);
    await input.fill(value);
  }

  /** The card input (text, date, select) whose label text starts with `label`. */
  input(card: Locator, label: string): Locator {
    const container = card.locator('div').filter({ has: this.page.locator(':scope > label.ac-richTextBlock', { hasText: label }) }).last();
    return container.locator('.ac-input-container').locator('input, select, textarea').first();
  }

  /** Picks an option of an expanded Input.ChoiceSet (radio buttons) by its visible title. */
  async choose(card: Locator, optionTitle: string): Promise<void> {
    await card.getByRole('radio', { name: optionTitle, exact: true }).check();
  }

  /**
   * Picks an option of a compact Input.ChoiceSet, which the Playground renders as a Fluent combobox
   * (an input with role combobox and an "Open" chevron; the option list opens in a popup).
   */
  async select(card: Locator, label: string, optionTitle: string): Promise<void> {
    const box = this.input(card, label);
    await box.locator('xpath=..').getByRole('button', { name: 'Open' }).click();
    await this.page.getByRole('option', { name: optionTitle, exact: true }).click();
    const list = this.page.getByRole('listbox');
    if (await list.isVisible()) await this.page.keyboard.press('Escape');
  }

  /** Presses a card button by its exact title. */
  async press(card: Locator, title: string): Promise<void> {
    await card.getByRole('button', { name: title, exact: true }).click();
  }

  /** The card's text as a reader sees it (one line per block). */
  async text(card: Locator): Promise<string> {
    return card.innerText();
  }

  /**
   * Text blocks and buttons on the card whose content is wider or taller than their box (cut off,
   * or ellipsized), by their text. Inputs are left out: a long URL scrolling inside a field is fine.
   */
  async clipped(card: Locator): Promise<string[]> {
    return card.evaluate((element) => {
      const root = element as unknown as DomElement;
      const out: string[] = [];
      for (const el of root.querySelectorAll('.ac-textBlock, .ac-richTextBlock, .ac-textRun, button, .ac-pushButton-content')) {
        if (el.offsetParent === null) continue;
        if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) out.push(el.innerText.trim().slice(0, 80));
      }
      return out;
    });
  }

  /**
   * Starts recording the first line of every card the chat shows, including cards replaced in place
   * moments later (progress cards), so a test can check what a person would have seen go by.
   */
  async recordTitles(): Promise<void> {
    await this.page.evaluate(() => {
      const w = globalThis as unknown as BrowserWindow;
      w.__titleObserver?.disconnect();
      const titles: string[] = [];
      w.__titles = titles;
      const scan = () => {
        for (const el of w.document.querySelectorAll('.fai-OutputCard .ac-adaptiveCard')) {
          const first = (el.textContent ?? '').trim().slice(0, 120);
          if (first && !titles.includes(first)) titles.push(first);
        }
      };
      scan();
      w.__titleObserver = new w.MutationObserver(scan);
      w.__titleObserver.observe(w.document.body, { subtree: true, childList: true, characterData: true });
    });
  }

  /** The card texts seen since recordTitles() (each cut to its first 120 characters), in order. */
  async recordedTitles(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as BrowserWindow).__titles ?? []);
  }

  /**
   * Photographs the whole chat bubble holding the card. The chat pane scrolls inside the page, so a
   * card taller than the pane would come out clipped: the viewport grows to fit it for the shot.
   */
  async shoot(card: Locator, path: string): Promise<void> {
    const bubble = card.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " fai-OutputCard ")][1]');
    const viewport = this.page.viewportSize() ?? { width: 1280, height: 900 };
    const height = (await bubble.boundingBox())?.height ?? 0;
    const needed = Math.ceil(height) + 700;
    if (needed > viewport.height) await this.page.setViewportSize({ width: viewport.width, height: needed });
    try {
      await bubble.scrollIntoViewIfNeeded();
      await bubble.evaluate((e) => e.scrollIntoView({ block: 'center' }));
      await bubble.screenshot({ path, animations: 'disabled' });
    } finally {
      if (needed > viewport.height) await this.page.setViewportSize(viewport);
    }
  }
}
