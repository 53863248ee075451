/**
 * Product photos (#15): the limits the server enforces and the phone resizes
 * for, and what an image is, told from its first bytes rather than from a
 * name or a content-type header that any client can set.
 */

/** Photos per product; the first is the one lists show. */
export const product_photos_max = 6;
/**
 * Bytes of one photo as it arrives. The phone resizes to
 * photo_long_side_px_max at JPEG quality 0.8 first, which makes a camera
 * photo a few hundred KB, so this refuses only what skipped the resize.
 */
export const product_photo_bytes_max = 2 * 1024 * 1024;
/** The long side the phone resizes a photo to before upload. */
export const photo_long_side_px_max = 1280;
export const photo_jpeg_quality = 0.8;

export type PhotoKind = 'jpeg' | 'png' | 'webp';
export const photoContentTypes: Record<PhotoKind, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

export interface ImageInfo {
  kind: PhotoKind;
  contentType: string;
  width: number;
  height: number;
}

const ascii = (b: Uint8Array, at: number, text: string) => [...text].every((ch, i) => b[at + i] === ch.charCodeAt(0));
const u16be = (b: Uint8Array, at: number) => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const u16le = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, at: number) => u16le(b, at) | ((b[at + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, at: number) => u16be(b, at) * 65536 + u16be(b, at + 2);

/**
 * The kind and size of a JPEG, PNG or WebP from its header, or null for
 * anything else (including one of these whose header is cut short), so no
 * image library is needed to refuse a text file renamed .jpg.
 */
export function imageInfo(b: Uint8Array): ImageInfo | null {
  const found = pngSize(b) ?? jpegSize(b) ?? webpSize(b);
  if (!found || found.width <= 0 || found.height <= 0) return null;
  return { ...found, contentType: photoContentTypes[found.kind] };
}

function pngSize(b: Uint8Array) {
  // The signature, then the IHDR chunk, which the format requires to come first.
  if (b.length < 24 || !(b[0] === 0x89 && ascii(b, 1, 'PNG\r\n\x1a\n') && ascii(b, 12, 'IHDR'))) return null;
  return { kind: 'png' as const, width: u32be(b, 16), height: u32be(b, 20) };
}

function jpegSize(b: Uint8Array) {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return null;
  // Walks the segments to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC), which holds the size.
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { kind: 'jpeg' as const, height: u16be(b, at + 5), width: u16be(b, at + 7) };
    }
    at += 2 + u16be(b, at + 2);
  }
  return null;
}

function webpSize(b: Uint8Array) {
  if (b.length < 30 || !ascii(b, 0, 'RIFF') || !ascii(b, 8, 'WEBP')) return null;
  if (ascii(b, 12, 'VP8 ')) return { kind: 'webp' as const, width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  if (ascii(b, 12, 'VP8L') && b[20] === 0x2f) {
    const bits = (b[21] ?? 0) | ((b[22] ?? 0) << 8) | ((b[23] ?? 0) << 16) | ((b[24] ?? 0) << 24);
    return { kind: 'webp' as const, width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (ascii(b, 12, 'VP8X')) return { kind: 'webp' as const, width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  return null;
}
