import type { KeyObject } from 'node:crypto';
import type { NotifyControl } from './notify-control';
import { notificationBody, platformSignatureHeaders } from './wechat-pay-signing';

/**
 * Sends WeChat Pay notifications the way the platform does: signed, the
 * resource encrypted with the APIv3 key, resent on anything but a 2xx within
 * the timeout on WeChat's schedule (15 tries, ~24 h). `delayScale` shrinks
 * the schedule for tests (0.001 turns 15 s into 15 ms).
 */

export const wechat_notify_retry_delays_ms = [
  15_000, 15_000, 30_000, 180_000, 600_000, 1_200_000, 1_800_000, 1_800_000, 1_800_000, 3_600_000, 10_800_000, 10_800_000, 10_800_000, 21_600_000, 21_600_000,
] as const;
export const wechat_notify_timeout_ms = 5_000;
export const wechat_notify_log_max = 500;

export interface NotifySettings {
  delayScale: number;
  timeoutMs: number;
}

export interface DeliveryAttempt {
  at: string;
  /** HTTP status, or the error when there was no answer in time. */
  outcome: number | string;
}

export interface DeliveryRecord {
  notificationId: string;
  eventType: string;
  url: string;
  ref: string;
  attempts: DeliveryAttempt[];
  delivered: boolean;
}

export class WechatNotifier {
  readonly log: DeliveryRecord[] = [];

  constructor(
    private readonly signer: { privateKey: KeyObject; serial: string },
    private readonly apiV3Key: string,
    private readonly control: NotifyControl,
    private readonly settings: () => NotifySettings,
  ) {}

  /** One event; the control decides how often and when it goes out. `ref` is the out_trade_no or out_refund_no, for the log. */
  notify(url: string, eventType: string, resource: object, ref: string): void {
    const body = notificationBody(eventType, resource, this.apiV3Key, Date.now());
    const notificationId = (JSON.parse(body) as { id: string }).id;
    this.control.dispatch(() => {
      const record: DeliveryRecord = { notificationId, eventType, url, ref, attempts: [], delivered: false };
      this.log.push(record);
      if (this.log.length > wechat_notify_log_max) this.log.shift();
      void this.attempt(record, body, 0);
    });
  }

  private async attempt(record: DeliveryRecord, body: string, retriesDone: number): Promise<void> {
    const { timeoutMs, delayScale } = this.settings();
    let outcome: number | string;
    try {
      const response = await fetch(record.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'Mozilla/4.0', ...platformSignatureHeaders(body, this.signer, Date.now()) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      outcome = response.status;
    } catch (e) {
      outcome = e instanceof Error ? e.name : 'error';
    }
    record.attempts.push({ at: new Date().toISOString(), outcome });
    if (typeof outcome === 'number' && outcome >= 200 && outcome < 300) {
      record.delivered = true;
      return;
    }
    const delay = wechat_notify_retry_delays_ms[retriesDone];
    if (delay === undefined) return;
    setTimeout(() => void this.attempt(record, body, retriesDone + 1), delay * delayScale).unref();
  }
}
