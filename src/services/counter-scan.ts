import Taro from '@tarojs/taro';

/**
 * Whether this build can open the camera scanner. In the browser (H5)
 * Taro.scanCode does nothing, so the screens offer typing or pasting the
 * code instead and say that the camera works in the WeChat or Alipay app.
 */
export const cameraScanSupported = process.env.TARO_ENV !== 'h5';

/** What the browser build says when 扫一扫 is tapped. */
export const camera_scan_unavailable_note = '浏览器里不能用摄像头扫码。请输入、粘贴条码或用扫码枪录入；在微信或支付宝小程序里可直接扫一扫。';

/** Scans a product barcode with the camera; null when the assistant cancels. */
export async function scanBarcode(): Promise<string | null> {
  try {
    const res = (await Taro.scanCode({ onlyFromCamera: true, scanType: ['barCode'] })) as { result?: string; code?: string };
    // WeChat answers in `result`; Alipay's my.scan in `code`.
    const code = (res.result ?? res.code ?? '').trim();
    return code === '' ? null : code;
  } catch {
    return null;
  }
}

/** A scanner gun types the digits of an EAN-8, UPC-A, EAN-13 or ITF-14 and presses Enter: such input is added as a barcode at once. */
export function looksLikeBarcode(text: string): boolean {
  return /^\d{8,14}$/.test(text.trim());
}

/** In the browser, tells the assistant to type or paste what the camera would have read; true when it did (and there is nothing to scan). */
export function explainNoCameraScan(what: string): boolean {
  if (cameraScanSupported) return false;
  void Taro.showModal({ title: `请输入${what}`, content: camera_scan_unavailable_note.replace('条码', what), showCancel: false, confirmText: '知道了' });
  return true;
}
