import { crc32, deflateSync } from 'node:zlib';

/**
 * A minimal PNG encoder (8-bit RGB, no interlace) for small chart images sent inside cards as
 * data URIs: Teams renders PNG, JPEG and GIF in cards, not SVG ("Format cards in Teams").
 */
export interface Raster {
  width: number;
  height: number;
  /** RGB triples, row by row. */
  pixels: Uint8Array;
}

export function raster(width: number, height: number, background: readonly [number, number, number]): Raster {
  const pixels = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) pixels.set(background, p * 3);
  return { width, height, pixels };
}

export function fillRect(r: Raster, x: number, y: number, w: number, h: number, rgb: readonly [number, number, number]): void {
  for (let row = Math.max(0, y); row < Math.min(r.height, y + h); row++) {
    for (let col = Math.max(0, x); col < Math.min(r.width, x + w); col++) r.pixels.set(rgb, (row * r.width + col) * 3);
  }
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

export function encodePng(r: Raster): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(r.width, 0);
  ihdr.writeUInt32BE(r.height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, filter 0, no interlace
  const rows = Buffer.alloc((r.width * 3 + 1) * r.height);
  for (let y = 0; y < r.height; y++) {
    rows[y * (r.width * 3 + 1)] = 0; // filter: none
    rows.set(r.pixels.subarray(y * r.width * 3, (y + 1) * r.width * 3), y * (r.width * 3 + 1) + 1);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

export const pngDataUri = (png: Buffer): string => `data:image/png;base64,${png.toString('base64')}`;
