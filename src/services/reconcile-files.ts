import { billUploadResponse, type ReconcileItemView } from '../../shared/api/reconcile';
import { beijingTimeText } from '../../shared/beijing-time';
import { billTooLargeMessage, billUploadBytesMax } from '../../shared/bills/upload-limit';
import { badResponseError, parseErrorResponse } from './errors';
import { pickDeviceFile, postRaw, type DeviceFile } from './device-file';
import { getSession } from './session';
import { buildUrl } from './url';

/** Files going to and from a reconciliation: the report's CSV and XLSX, and a bill uploaded by hand (browser, or WeChat from a chat). */

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

/** A bill file chosen on this device, ready to send as it is. */
export type ChosenBill = DeviceFile;

/**
 * Whether this build can choose a bill file: the browser, and the WeChat
 * mini-program (a file sent to a chat, which is where an owner keeps what the
 * merchant platform exported). Alipay's mini-program has no such picker; its
 * owners use 下载并对账 instead.
 */
export function canPickBill(): boolean {
  return process.env.TARO_ENV === 'h5' || process.env.TARO_ENV === 'weapp';
}

/** The largest bill this build uploads (see shared/bills/upload-limit.ts). */
export function billUploadLimit(): number {
  return billUploadBytesMax(process.env.TARO_APP_BILL_UPLOAD_BYTES_MAX);
}

/** Refuses a bill over the limit on the phone, before reading or sending a byte of it. */
function checkBillSize(bytes: number): void {
  const max = billUploadLimit();
  if (bytes > max) throw new Error(billTooLargeMessage(bytes, max));
}

/** Asks for one bill file of the channel's kind; null when the owner cancels; throws with what to do when it is too large. */
export async function pickBill(channel: 'wechat' | 'alipay'): Promise<ChosenBill | null> {
  return pickDeviceFile(
    channel === 'wechat'
      ? { accept: '.csv,.txt,text/csv', extensions: ['csv', 'txt'], checkSize: checkBillSize }
      : { accept: '.zip,.csv,application/zip', extensions: ['zip', 'csv'], checkSize: checkBillSize },
  );
}

/** Sends the platform's bill file as it is (the API streams it) and returns the run it started. */
export async function uploadBill(channel: 'wechat' | 'alipay', date: string, file: Blob | ArrayBuffer) {
  const token = getSession('staff')?.token ?? '';
  const url = buildUrl(base(), '/api/reconcile/bills', {}, { channel, date });
  const { status, body } = await postRaw(url, file, 'application/octet-stream', token);
  // Vercel answers 413 itself, with no body of ours, when a request is over its limit.
  if (status === 413) throw new Error(billTooLargeMessage(undefined, billUploadLimit()));
  if (status < 200 || status >= 300) throw parseErrorResponse(status, body);
  const parsed = billUploadResponse.safeParse(body);
  if (!parsed.success) throw badResponseError(status);
  return parsed.data;
}
