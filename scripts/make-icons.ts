import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

/**
 * Draws the Teams app icons: an arch bridge (plan on one bank, Boards on the other).
 *   manifest/color.png    192x192, white bridge on the accent colour (full-bleed, opaque)
 *   manifest/outline.png  32x32, white bridge on a transparent background, as Teams requires
 * Run: npx node scripts/make-icons.ts   (node built-ins only; output is deterministic)
 */

/** Must equal accentColor in manifest/manifest.json (a test checks). */
export const ACCENT = '#2E5AAC';

interface BridgeStyle {
  arch: number; // stroke width of the arch
  deck: number; // deck thickness
  hanger: number; // width of each vertical hanger
  hangers: number[]; // hanger positions (u)
}

// Geometry in unit coordinates (u right, v down). The arch is a circle through the deck ends.
const ARCH_CENTER = { u: 0.5, v: 0.63 };
const ARCH_RADIUS = 0.35;
const DECK = { left: 0.1, right: 0.9, top: 0.6 };
const PIERS = [{ left: 0.16, right: 0.25 }, { left: 0.75, right: 0.84 }];
const PIER_BOTTOM = 0.82;

const COLOR_STYLE: BridgeStyle = { arch: 0.055, deck: 0.07, hanger: 0.022, hangers: [0.29, 0.395, 0.5, 0.605, 0.71] };
// At 32px thin strokes vanish into grey, so the outline uses fewer, thicker strokes.
const OUTLINE_STYLE: BridgeStyle = { arch: 0.1, deck: 0.1, hanger: 0.07, hangers: [0.345, 0.5, 0.655] };

function insideBridge(u: number, v: number, s: BridgeStyle): boolean {
  const deckBottom = DECK.top + s.deck;
  if (u >= DECK.left && u <= DECK.right && v >= DECK.top && v <= deckBottom) return true;
  if (v >= deckBottom && v <= PIER_BOTTOM && PIERS.some((p) => u >= p.left && u <= p.right)) return true;
  if (v > DECK.top) return false;
  const d = Math.hypot(u - ARCH_CENTER.u, v - ARCH_CENTER.v);
  if (Math.abs(d - ARCH_RADIUS) <= s.arch / 2) return true;
  return d < ARCH_RADIUS && s.hangers.some((h) => Math.abs(u - h) <= s.hanger / 2);
}

/** Fraction of the pixel the shape covers, from a 4x4 grid of samples (anti-aliasing). */
function coverage(x: number, y: number, size: number, s: BridgeStyle): number {
  const n = 4;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (insideBridge((x + (i + 0.5) / n) / size, (y + (j + 0.5) / n) / size, s)) hits++;
    }
  }
  return hits / (n * n);
}

export function renderColorIcon(): Buffer {
  const size = 192;
  const accent = [1, 3, 5].map((i) => parseInt(ACCENT.slice(i, i + 2), 16));
  const pixels = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = coverage(x, y, size, COLOR_STYLE);
      for (let k = 0; k < 3; k++) pixels[(y * size + x) * 3 + k] = Math.round(accent[k]! + (255 - accent[k]!) * c);
    }
  }
  return encodePng(size, size, 'rgb', pixels);
}

export function renderOutlineIcon(): Buffer {
  const size = 32;
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 4;
      pixels.fill(255, o, o + 3); // white everywhere; only alpha carries the shape
      pixels[o + 3] = Math.round(255 * coverage(x, y, size, OUTLINE_STYLE));
    }
  }
  return encodePng(size, size, 'rgba', pixels);
}

/** PNG with 8-bit samples, no interlace, filter "None" on every row (ISO/IEC 15948). */
export function encodePng(width: number, height: number, mode: 'rgb' | 'rgba', pixels: Buffer): Buffer {
  const channels = mode === 'rgb' ? 3 : 4;
  const stride = width * channels;
  if (pixels.length !== stride * height) throw new Error(`expected ${stride * height} bytes of pixels, got ${pixels.length}`);
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) pixels.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);

  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = mode === 'rgb' ? 2 : 6; // colour type: truecolour / truecolour with alpha
  // compression, filter method and interlace stay 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function main(): void {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'manifest', 'manifest.json'))) {
    if (path.dirname(dir) === dir) throw new Error('Cannot find manifest/manifest.json above this script');
    dir = path.dirname(dir);
  }
  for (const [file, png] of [['color.png', renderColorIcon()], ['outline.png', renderOutlineIcon()]] as const) {
    const target = path.join(dir, 'manifest', file);
    writeFileSync(target, png);
    console.log(`${path.relative(process.cwd(), target)} (${png.length} bytes)`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
