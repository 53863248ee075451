import Taro from '@tarojs/taro';
import { productPhoto, type ProductPhoto } from '../../shared/api/catalog';
import { photo_jpeg_quality, photo_long_side_px_max, product_photo_bytes_max } from '../../shared/catalog/photo';
import { badResponseError, parseErrorResponse } from './errors';
import { postRaw, readLocalFile } from './device-file';
import { getSession } from './session';
import { buildUrl } from './url';

/**
 * Product photos from the phone (#15): taken with the camera or chosen from
 * the album, made at most photo_long_side_px_max on the long side as a JPEG
 * on the phone, and sent as the raw body, so the upload is a few hundred KB
 * and the API reads one format from every build.
 */

const base = () => process.env.TARO_APP_API_BASE ?? '';

function tooLarge(): Error {
  return new Error(`照片超过 ${product_photo_bytes_max / 1024 / 1024} MB 上限（product_photo_bytes_max），请换一张`);
}

/** The browser: a file input (the phone offers camera and album), then a canvas at the long side limit, JPEG at quality 0.8. */
function pickAndResizeH5(): Promise<Blob | null> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/*';
    input.style.display = 'none';
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      input.remove();
      if (!file) return resolve(null);
      const url = URL.createObjectURL(file);
      const img = new Image();
      img.onload = () => {
        URL.revokeObjectURL(url);
        const scale = Math.min(1, photo_long_side_px_max / Math.max(img.naturalWidth, img.naturalHeight));
        const canvas = document.createElement('canvas');
        canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
        canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
        const ctx = canvas.getContext('2d');
        if (!ctx) return reject(new Error('这个浏览器不能处理照片'));
        // A transparent PNG would turn black as a JPEG; white is what a product photo's background usually is.
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('照片处理失败'))), 'image/jpeg', photo_jpeg_quality);
      };
      img.onerror = () => {
        URL.revokeObjectURL(url);
        reject(new Error('不是图片：请选 JPEG、PNG 或 WebP 照片'));
      };
      img.src = url;
    });
    document.body.appendChild(input);
    input.click();
  });
}

/** A mini-program: the camera or the album, compressed by the platform to the long side limit, read as bytes. */
async function pickAndResizeMini(): Promise<ArrayBuffer | null> {
  let path: string | undefined;
  try {
    if (process.env.TARO_ENV === 'weapp') {
      const r = await Taro.chooseMedia({ count: 1, mediaType: ['image'], sourceType: ['album', 'camera'], sizeType: ['compressed'] });
      path = r.tempFiles[0]?.tempFilePath;
    } else {
      const r = await Taro.chooseImage({ count: 1, sourceType: ['album', 'camera'], sizeType: ['compressed'] });
      path = r.tempFilePaths[0];
    }
  } catch {
    // Closing the picker is a cancel, not an error.
    return null;
  }
  if (!path) return null;
  const info = await Taro.getImageInfo({ src: path });
  const side = info.width >= info.height ? { compressedWidth: Math.min(info.width, photo_long_side_px_max) } : { compressedHeight: Math.min(info.height, photo_long_side_px_max) };
  const compressed = await Taro.compressImage({ src: path, quality: Math.round(photo_jpeg_quality * 100), ...side } as Taro.compressImage.Option);
  return readLocalFile(compressed.tempFilePath, '照片');
}

/** Asks for one photo and returns it resized, or null when the owner cancels. */
export async function pickProductPhoto(): Promise<Blob | ArrayBuffer | null> {
  const photo = process.env.TARO_ENV === 'h5' ? await pickAndResizeH5() : await pickAndResizeMini();
  if (photo && (photo instanceof Blob ? photo.size : photo.byteLength) > product_photo_bytes_max) throw tooLarge();
  return photo;
}

/** Sends the photo as the raw body; answers the product's photos in order. */
export async function uploadProductPhoto(productId: string, photo: Blob | ArrayBuffer): Promise<ProductPhoto[]> {
  const token = getSession('staff')?.token ?? '';
  const url = buildUrl(base(), '/api/products/:productId/photos', { productId }, {});
  const { status, body } = await postRaw(url, photo, 'application/octet-stream', token);
  if (status < 200 || status >= 300) throw parseErrorResponse(status, body);
  const photos = (body as { photos?: unknown } | undefined)?.photos;
  const parsed = productPhoto.array().safeParse(photos);
  if (!parsed.success) throw badResponseError(status);
  return parsed.data;
}
