import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { usageChartDataUri, usageChartPng } from '../../src/cards/usage-chart.js';

describe('usage chart image', () => {
  it('is a valid PNG (signature, IHDR size, IDAT inflating to every row) of a few hundred bytes', () => {
    const png = usageChartPng([{ workItems: 4, events: 0 }, { workItems: 10, events: 3 }, { workItems: 2, events: 7 }]);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
    expect(inflateSync(png.subarray(41, 41 + idatLength))).toHaveLength((width * 3 + 1) * height);
    expect(png.length).toBeLessThan(1500);
  });

  it('draws the bars: the tallest reaches the top, an empty window draws nothing', () => {
    const png = usageChartPng([{ workItems: 0, events: 0 }, { workItems: 5, events: 5 }]);
    const idat = inflateSync(png.subarray(41, 41 + png.readUInt32BE(33)));
    const width = png.readUInt32BE(16);
    const pixel = (x: number, y: number) => [...idat.subarray(y * (width * 3 + 1) + 1 + x * 3, y * (width * 3 + 1) + 4 + x * 3)];
    expect(pixel(60, 30)).toEqual([255, 255, 255]); // first slot: empty
    expect(pixel(180, 50)).toEqual([0, 120, 212]); // second slot, low: work items
    expect(pixel(180, 1)).not.toEqual([255, 255, 255]); // second slot, top: events reach it
  });

  it('is a data URI a card Image can show', () => {
    expect(usageChartDataUri([{ workItems: 1, events: 1 }])).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
  });
});
