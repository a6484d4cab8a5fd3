import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCENT, renderColorIcon, renderOutlineIcon } from '../../../scripts/make-icons.js';
import { decodePng } from './png.js';
import { REPO_ROOT } from './support.js';

const icon = (file: string) => readFileSync(path.join(REPO_ROOT, 'manifest', file));

describe('Teams app icons', () => {
  it('color.png is a 192x192 full-colour image on the accent colour', () => {
    const png = decodePng(icon('color.png'));
    expect([png.width, png.height]).toEqual([192, 192]);
    expect(png.channels).toBeGreaterThanOrEqual(3);
    const accent = [1, 3, 5].map((i) => parseInt(ACCENT.slice(i, i + 2), 16));
    const corner = [...png.pixels.subarray(0, 3)];
    expect(corner).toEqual(accent);
    const distinct = new Set<string>();
    for (let i = 0; i < png.pixels.length; i += png.channels) distinct.add(png.pixels.subarray(i, i + 3).toString('hex'));
    expect(distinct.has('ffffff')).toBe(true); // the white motif is actually drawn
  });

  it('outline.png is 32x32, white only, on a transparent background', () => {
    const png = decodePng(icon('outline.png'));
    expect([png.width, png.height]).toEqual([32, 32]);
    expect(png.channels).toBe(4);
    let transparent = 0;
    let opaque = 0;
    const offWhite: number[] = [];
    for (let p = 0; p < png.width * png.height; p++) {
      const [r, g, b, a] = png.pixels.subarray(p * 4, p * 4 + 4);
      if (a === 0) transparent++;
      else if (r !== 255 || g !== 255 || b !== 255) offWhite.push(p);
      if (a === 255) opaque++;
    }
    expect(offWhite, 'pixels that are visible but not white').toEqual([]);
    expect(transparent).toBeGreaterThan(0);
    expect(opaque).toBeGreaterThan(0);
  });

  it('the committed PNGs are what scripts/make-icons.ts draws (rerun it after changing the design)', () => {
    expect(icon('color.png').equals(renderColorIcon())).toBe(true);
    expect(icon('outline.png').equals(renderOutlineIcon())).toBe(true);
  });

  it('the decoder refuses a damaged file instead of reading garbage', () => {
    const damaged = Buffer.from(icon('outline.png'));
    damaged[damaged.indexOf('IDAT') + 10]! ^= 0xff;
    expect(() => decodePng(damaged)).toThrow('bad CRC in IDAT chunk');
  });
});
