import { AppError } from '../../_kernel/errors.js';
import type { TradeBill } from '../channel.js';
import { alipay_code_success, failureOf, text, type AlipayRecord } from './state.js';
import { bill_download_answer_timeout_ms, bill_download_idle_timeout_ms, fetchAnsweredWithin, readWithin } from '../timed-fetch.js';

/**
 * The Alipay trade bill (B7): `alipay.data.dataservice.bill.downloadurl.query`
 * (`bill_type=trade`) answers, signed, a `bill_download_url` that lives 30
 * seconds; the file behind it is a zip of GBK CSVs, handed on as it arrives.
 * `isp.bill_not_exist` is a day with no bill (no trade, or not generated yet).
 */

const bill_not_exist = 'isp.bill_not_exist';

export async function alipayTradeBill(
  call: (method: string, bizContent: AlipayRecord) => Promise<AlipayRecord>,
  billDate: string,
  doFetch: typeof fetch = fetch,
  limits: { answerMs: number; idleMs: number } = { answerMs: bill_download_answer_timeout_ms, idleMs: bill_download_idle_timeout_ms },
): Promise<TradeBill> {
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
    response = await fetchAnsweredWithin(doFetch, link, {}, limits.answerMs, 'Alipay bill download');
  } catch (e) {
    throw new AppError('platform_error', `Alipay bill download failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!response.ok || !response.body) throw new AppError('platform_error', `Alipay bill download answered HTTP ${response.status}.`);
  return { outcome: 'ready', body: chunksOf(response.body, limits.idleMs) };
}

async function* chunksOf(body: ReadableStream<Uint8Array>, idleMs: number): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await readWithin(reader, idleMs, 'Alipay bill download');
      if (done) return;
      if (value) yield value;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
