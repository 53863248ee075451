import Taro from '@tarojs/taro';
import { request_timeout_ms } from './api';
import { networkError } from './errors';

/**
 * Files from the device and raw uploads, one way for every page that sends a
 * file as it is (a bill, a catalog sheet, a product photo): the browser's file
 * input, or in the WeChat mini-program a file from a chat, read as bytes; and
 * a POST whose body is those bytes, so the API reads one format from every build.
 */

/** Asks the browser for one file (H5 only; a mini-program has no file picker for arbitrary files). */
export function pickFile(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.style.display = 'none';
    input.addEventListener('change', () => {
      resolve(input.files?.[0] ?? null);
      input.remove();
    });
    document.body.appendChild(input);
    input.click();
  });
}

/** A file's bytes in a mini-program, from its temporary path. */
export function readLocalFile(filePath: string, what = '文件'): Promise<ArrayBuffer> {
  return new Promise<ArrayBuffer>((resolve, reject) =>
    Taro.getFileSystemManager().readFile({ filePath, success: (r) => resolve(r.data as ArrayBuffer), fail: (e) => reject(new Error(`读取${what}失败：${e.errMsg}`)) }),
  );
}

/** A file chosen on this device, ready to send as it is. */
export interface DeviceFile {
  name: string;
  body: Blob | ArrayBuffer;
}

export interface PickOptions {
  /** The browser input's accept list. */
  accept: string;
  /** The extensions WeChat's chat file list offers. */
  extensions: string[];
  /** Checked on the phone, before reading a byte: throws what to do when the file is too large. */
  checkSize: (bytes: number) => void;
}

/** Asks for one file; null when the person cancels (closing the chat list is a cancel, not an error). */
export async function pickDeviceFile(options: PickOptions): Promise<DeviceFile | null> {
  if (process.env.TARO_ENV === 'h5') {
    const file = await pickFile(options.accept);
    if (!file) return null;
    options.checkSize(file.size);
    return { name: file.name, body: file };
  }
  let chosen: Taro.chooseMessageFile.SuccessCallbackResult;
  try {
    chosen = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: options.extensions });
  } catch {
    return null;
  }
  const file = chosen.tempFiles[0];
  if (!file) return null;
  options.checkSize(file.size);
  return { name: file.name, body: await readLocalFile(file.path) };
}

/** POSTs bytes as the raw body with the staff token; answers the status and the parsed JSON (undefined when there is none). */
export async function postRaw(url: string, body: Blob | ArrayBuffer, contentType: string, token: string): Promise<{ status: number; body: unknown }> {
  const header = { authorization: `Bearer ${token}`, 'content-type': contentType };
  try {
    if (process.env.TARO_ENV === 'h5') {
      const res = await fetch(url, { method: 'POST', headers: header, body });
      return { status: res.status, body: await res.json().catch(() => undefined) };
    }
    const res = await Taro.request({ url, method: 'POST', header, data: body, dataType: 'json', timeout: request_timeout_ms });
    return { status: res.statusCode, body: res.data };
  } catch {
    throw networkError();
  }
}
