import Taro from '@tarojs/taro';

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
