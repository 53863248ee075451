import { createHash } from 'node:crypto';
import type { Gunzip } from 'fflate';
import { z } from 'zod';
import { BillHashMismatch, type TradeBill } from '../channel.js';
import type { WechatPayConfig } from './config.js';
import { signRequest } from './signing.js';
import { WechatPayError } from './errors.js';
import { bill_download_answer_timeout_ms, bill_download_idle_timeout_ms, fetchAnsweredWithin, readWithin } from '../timed-fetch.js';

/**
 * The WeChat Pay trade bill (A11). Step 1 asks for it with a signed
 * `GET /v3/bill/tradebill` whose signed answer names the SHA1 of the bill
 * and a short-lived `download_url`. Step 2 fetches that URL with an
 * Authorization header (path and query signed); its answer carries no
 * signature, so the SHA1 of the gunzipped bytes, computed as they stream
 * past, is the check: the last read throws `BillHashMismatch` when it differs.
 */

const answerSchema = z.object({ hash_type: z.string(), hash_value: z.string().regex(/^[0-9a-fA-F]{40}$/), download_url: z.string().url() });

export interface WechatBillTools {
  config: WechatPayConfig;
  /** Partner mode (#18): the sub-merchant whose bill this is. Without it a provider's bill holds every sub-merchant's trades. */
  subMchid?: string;
  fetch: typeof fetch;
  clock: () => Date;
  /** Overrides of the download's time limits (tests). */
  limits?: { answerMs: number; idleMs: number };
  /** The adapter's verified call. */
  call(method: 'GET', pathAndQuery: string): Promise<{ status: number; body: Record<string, unknown> | undefined }>;
}

export async function wechatTradeBill(t: WechatBillTools, billDate: string): Promise<TradeBill> {
  const sub = t.subMchid ? `&sub_mchid=${encodeURIComponent(t.subMchid)}` : '';
  const answer = await t.call('GET', `/v3/bill/tradebill?bill_date=${encodeURIComponent(billDate)}${sub}&bill_type=ALL&tar_type=GZIP`);
  const code = typeof answer.body?.['code'] === 'string' ? answer.body['code'] : '';
  // NO_STATEMENT_EXIST is a day with no trade and no refund, not an error; STATEMENT_CREATING asks to come back later.
  if (code === 'NO_STATEMENT_EXIST') return { outcome: 'no_statement' };
  if (code === 'STATEMENT_CREATING') return { outcome: 'not_ready' };
  if (answer.status !== 200) throw new WechatPayError(answer.status, code || `HTTP_${answer.status}`, `tradebill: ${code} ${typeof answer.body?.['message'] === 'string' ? answer.body['message'] : ''}`.trim());
  const parsed = answerSchema.safeParse(answer.body);
  if (!parsed.success) throw new WechatPayError(answer.status, 'bad_response', 'tradebill answered without hash_value / download_url');
  if (parsed.data.hash_type.toUpperCase() !== 'SHA1') throw new WechatPayError(answer.status, 'bad_response', `tradebill: unknown hash_type ${parsed.data.hash_type}`);

  const url = new URL(parsed.data.download_url);
  const authorization = signRequest({
    mchId: t.config.mchId,
    serialNo: t.config.merchantSerial,
    privateKey: t.config.merchantPrivateKey,
    method: 'GET',
    pathAndQuery: url.pathname + url.search,
    body: '',
    timestamp: String(Math.floor(t.clock().getTime() / 1000)),
  });
  let response: Response;
  try {
    response = await fetchAnsweredWithin(t.fetch, url, { headers: { Authorization: authorization, Accept: '*/*', 'User-Agent': 'guitai-payments' } }, t.limits?.answerMs ?? bill_download_answer_timeout_ms, 'WeChat Pay bill download');
  } catch (e) {
    throw new WechatPayError(0, 'network', `WeChat Pay bill download: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!response.ok || !response.body) {
    const text = await response.text().catch(() => '');
    throw new WechatPayError(response.status, `HTTP_${response.status}`, `WeChat Pay bill download answered HTTP ${response.status} ${text.slice(0, 200)}`.trim());
  }
  return { outcome: 'ready', body: checkedBill(response.body, parsed.data.hash_value.toLowerCase(), t.limits?.idleMs) };
}

/**
 * Gunzips (when the bytes are gzip: fetch may have decoded a
 * Content-Encoding already) and hashes as it yields, holding no more than
 * one chunk's output at a time.
 */
export async function* checkedBill(body: ReadableStream<Uint8Array>, expectedSha1: string, idleMs: number = bill_download_idle_timeout_ms): AsyncGenerator<Uint8Array> {
  const sha1 = createHash('sha1');
  const out: Uint8Array[] = [];
  let head: Uint8Array = new Uint8Array(0);
  let gunzip: Gunzip | null | undefined;
  const feed = (chunk: Uint8Array, final: boolean) => {
    try {
      if (gunzip) gunzip.push(chunk, final);
      else if (chunk.length > 0) out.push(chunk);
    } catch (e) {
      throw new BillHashMismatch(`账单文件损坏，无法解压：${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await readWithin(reader, idleMs, 'WeChat Pay bill download');
      if (done) break;
      if (gunzip === undefined) {
        head = concat(head, value);
        if (head.length < 2) continue;
        // fflate is loaded only for a gzipped bill, not with the function.
        gunzip = head[0] === 0x1f && head[1] === 0x8b ? new (await import('fflate')).Gunzip((data) => out.push(data)) : null;
        feed(head, false);
      } else feed(value, false);
      for (const o of out.splice(0)) {
        sha1.update(o);
        yield o;
      }
    }
    if (gunzip === undefined) {
      gunzip = null;
      feed(head, true);
    } else feed(new Uint8Array(0), true);
    for (const o of out.splice(0)) {
      sha1.update(o);
      yield o;
    }
  } finally {
    // A reader that stops early (a malformed bill) lets go of the connection.
    reader.cancel().catch(() => undefined);
  }
  const actual = sha1.digest('hex');
  if (actual !== expectedSha1) throw new BillHashMismatch(`账单 SHA1 ${actual} 与微信支付给出的 ${expectedSha1} 不符`);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const c = new Uint8Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
}
