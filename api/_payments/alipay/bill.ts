import { AppError } from '../../_http/errors';
import type { TradeBill } from '../channel';
import { alipay_code_success, failureOf, text, type AlipayRecord } from './state';

/**
 * The Alipay trade bill (B7): `alipay.data.dataservice.bill.downloadurl.query`
 * (`bill_type=trade`) answers, signed, a `bill_download_url` that lives 30
 * seconds; the file behind it is a zip of GBK CSVs, handed on as it arrives.
 * `isp.bill_not_exist` is a day with no bill (no trade, or not generated yet).
 */

const bill_not_exist = 'isp.bill_not_exist';

export async function alipayTradeBill(call: (method: string, bizContent: AlipayRecord) => Promise<AlipayRecord>, billDate: string, doFetch: typeof fetch = fetch): Promise<TradeBill> {
  const method = 'alipay.data.dataservice.bill.downloadurl.query';
  const record = await call(method, { bill_type: 'trade', bill_date: billDate });
  if (text(record, 'code') !== alipay_code_success) {
    const failure = failureOf(record);
    if (failure.code.toLowerCase() === bill_not_exist || failure.code.toUpperCase() === 'BILL_NOT_EXIST') return { outcome: 'no_statement' };
    throw new AppError('platform_error', `Alipay ${method} refused (${text(record, 'code') ?? '?'}/${failure.code} ${failure.message}).`);
  }
  const link = text(record, 'bill_download_url');
  if (!link || !/^https?:\/\//.test(link)) throw new AppError('platform_error', `Alipay ${method} answered without a bill_download_url.`);
  let response: Response;
  try {
    response = await doFetch(link);
  } catch (e) {
    throw new AppError('platform_error', `Alipay bill download failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!response.ok || !response.body) throw new AppError('platform_error', `Alipay bill download answered HTTP ${response.status}.`);
  return { outcome: 'ready', body: chunksOf(response.body) };
}

async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
