import { describe, expect, it } from 'vitest';
import { imageInfo } from '../../shared/catalog/photo';
import { jpegHeaderOf, pngOf } from '../_support/images';

/** Kind and size from an image's first bytes (shared/catalog/photo.ts), for the three kinds a photo may be, and nothing else. */
describe('imageInfo', () => {
  it('reads PNG and JPEG sizes', () => {
    expect(imageInfo(pngOf(7, 5))).toEqual({ kind: 'png', contentType: 'image/png', width: 7, height: 5 });
    expect(imageInfo(jpegHeaderOf(1280, 960))).toEqual({ kind: 'jpeg', contentType: 'image/jpeg', width: 1280, height: 960 });
  });

  it('reads the three WebP forms (lossy, lossless, extended)', () => {
    const riff = (chunk: string, body: number[]) => new Uint8Array([...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBP'), ...Buffer.from(chunk), 0, 0, 0, 0, ...body, ...new Array(16).fill(0)]);
    // VP8: frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height, little-endian.
    expect(imageInfo(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00]))).toMatchObject({ kind: 'webp', width: 320, height: 240 });
    // VP8L: signature 2f, then width-1 and height-1 in 14 bits each.
    const bits = (100 - 1) | ((50 - 1) << 14);
    expect(imageInfo(riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff]))).toMatchObject({ kind: 'webp', width: 100, height: 50 });
    // VP8X: flags and reserved (4 bytes), then canvas width-1 and height-1 in 24 bits each.
    expect(imageInfo(riff('VP8X', [0, 0, 0, 0, 0xff, 0x07, 0, 0x37, 0x04, 0]))).toMatchObject({ kind: 'webp', width: 2048, height: 1080 });
  });

  it('refuses text, a GIF, a cut-off header and a zero size', () => {
    expect(imageInfo(new TextEncoder().encode('hello, this is not an image at all'))).toBeNull();
    expect(imageInfo(new TextEncoder().encode('GIF89a\x01\x00\x01\x00\x00\x00\x00;'))).toBeNull();
    expect(imageInfo(pngOf(3, 3).slice(0, 20))).toBeNull();
    expect(imageInfo(jpegHeaderOf(0, 10))).toBeNull();
    expect(imageInfo(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBeNull();
  });
});
