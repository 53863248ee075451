import Taro from '@tarojs/taro';

/** Scans the customer's 付款码 (a barcode or QR on their phone); null when the assistant cancels. */
export async function scanPaycode(): Promise<string | null> {
  try {
    const res = (await Taro.scanCode({ onlyFromCamera: true, scanType: ['barCode', 'qrCode'] })) as { result?: string; code?: string };
    // WeChat answers in `result`; Alipay's my.scan in `code`.
    const code = (res.result ?? res.code ?? '').trim();
    return code === '' ? null : code;
  } catch {
    return null;
  }
}
