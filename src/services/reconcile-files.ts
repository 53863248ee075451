import { billUploadResponse, type ReconcileItemView } from '../../shared/api/reconcile';
import { beijingTimeText } from '../../shared/beijing-time';
import { badResponseError, networkError, parseErrorResponse } from './errors';
import { getSession } from './session';
import { buildUrl } from './url';

/** Files going to and from a reconciliation: the report's CSV and XLSX, and a bill uploaded by hand in the browser build. */

const base = () => process.env.TARO_APP_API_BASE ?? '';

export function reportUrl(runId: string, format: 'csv' | 'xlsx'): string {
  return buildUrl(base(), '/api/reconcile/runs/:runId/export', { runId }, { format });
}

export function reportFileName(billDate: string, channel: 'wechat' | 'alipay', format: 'csv' | 'xlsx'): string {
  return `对账-${channel === 'wechat' ? '微信支付' : '支付宝'}-${billDate}.${format}`;
}

/** "已处理：note（王店长 2026-11-23 10:00）": what was decided, by whom and when. */
export function resolutionLine(r: NonNullable<ReconcileItemView['resolution']>): string {
  return `说明：${r.note}（${r.byName} ${beijingTimeText(r.at).slice(0, 16)}）`;
}

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

/** Sends the platform's bill file as it is (the API streams it) and returns the run it started. */
export async function uploadBill(channel: 'wechat' | 'alipay', date: string, file: Blob) {
  const token = getSession('staff')?.token ?? '';
  let res: Response;
  try {
    res = await fetch(buildUrl(base(), '/api/reconcile/bills', {}, { channel, date }), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body: file });
  } catch {
    throw networkError();
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw parseErrorResponse(res.status, body);
  const parsed = billUploadResponse.safeParse(body);
  if (!parsed.success) throw badResponseError(res.status);
  return parsed.data;
}

