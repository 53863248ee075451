// Draws the tab-bar icons as small PNGs: `npx tsx src/assets/tab/draw.ts`.
// WeChat wants bitmap files for tab icons (no SVG), under 40 KB, about 81 px square.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size_px = 81;
const samples = 4;
const colors = { normal: [0x99, 0x99, 0x99], active: [0xfa, 0x2c, 0x19] } as const;

type Shape = (x: number, y: number) => boolean;

const rect = (x0: number, y0: number, x1: number, y1: number): Shape => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const circle = (cx: number, cy: number, r: number): Shape => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx: number, cy: number, r: number, w: number): Shape => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return d <= r && d >= r - w;
};
const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));
const minus = (a: Shape, b: Shape): Shape => (x, y) => a(x, y) && !b(x, y);

const shapes: Record<string, Shape> = {
  home: union(
    // Roof: a triangle over the house body.
    (x, y) => y >= 0.12 && y <= 0.48 && Math.abs(x - 0.5) <= (y - 0.12) * 1.15,
    minus(rect(0.22, 0.45, 0.78, 0.86), rect(0.42, 0.6, 0.58, 0.86)),
  ),
  category: union(rect(0.14, 0.14, 0.44, 0.44), rect(0.56, 0.14, 0.86, 0.44), rect(0.14, 0.56, 0.44, 0.86), circle(0.71, 0.71, 0.16)),
  cart: union(
    rect(0.08, 0.16, 0.22, 0.22),
    (x, y) => y >= 0.28 && y <= 0.62 && x >= 0.2 + (y - 0.28) * 0.25 && x <= 0.9 - (y - 0.28) * 0.35,
    circle(0.36, 0.8, 0.08),
    circle(0.72, 0.8, 0.08),
  ),
  me: union(circle(0.5, 0.32, 0.18), (x, y) => y >= 0.6 && y <= 0.9 && ((x - 0.5) / 0.34) ** 2 + ((y - 0.9) / 0.3) ** 2 <= 1, ring(0.5, 0.32, 0.18, 0.05)),
};

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(shape: Shape, rgb: readonly number[]): Buffer {
  const rows = Buffer.alloc(size_px * (size_px * 4 + 1));
  for (let py = 0; py < size_px; py++) {
    const row = py * (size_px * 4 + 1);
    for (let px = 0; px < size_px; px++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++)
        for (let sx = 0; sx < samples; sx++) if (shape((px + (sx + 0.5) / samples) / size_px, (py + (sy + 0.5) / samples) / size_px)) hits++;
      const at = row + 1 + px * 4;
      rows[at] = rgb[0] ?? 0;
      rows[at + 1] = rgb[1] ?? 0;
      rows[at + 2] = rgb[2] ?? 0;
      rows[at + 3] = Math.round((255 * hits) / samples ** 2);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size_px, 0);
  ihdr.writeUInt32BE(size_px, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace.
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

const dir = new URL('.', import.meta.url);
for (const [name, shape] of Object.entries(shapes)) {
  writeFileSync(new URL(`${name}.png`, dir), png(shape, colors.normal));
  writeFileSync(new URL(`${name}-active.png`, dir), png(shape, colors.active));
}
