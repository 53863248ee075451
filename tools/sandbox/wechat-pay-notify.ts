import type { KeyObject } from 'node:crypto';
import type { NotifyControl, Outgoing } from './notify-control';
import { notificationBody, platformSignatureHeaders } from './wechat-pay-signing';

/**
 * WeChat Pay notifications for the shared sender (`notify-control.ts`):
 * the resource encrypted with the APIv3 key, resent on anything but a 2xx on
 * WeChat's schedule (15 tries, ~24 h; `retryScale` shrinks it for tests).
 */

export const wechat_notify_retry_delays_ms = [
  15_000, 15_000, 30_000, 180_000, 600_000, 1_200_000, 1_800_000, 1_800_000, 1_800_000, 3_600_000, 10_800_000, 10_800_000, 10_800_000, 21_600_000, 21_600_000,
];

export function wechatNotifier(signer: { privateKey: KeyObject; serial: string }, apiV3Key: string, control: NotifyControl, now: () => number = Date.now) {
  return {
    notify(url: string, eventType: string, resource: object): void {
      const body = notificationBody(eventType, resource, apiV3Key, now());
      const outgoing: Outgoing = {
        channel: 'wechat',
        id: (JSON.parse(body) as { id: string }).id,
        url,
        body,
        // Read at each attempt: every delivery carries a fresh timestamp and
        // signature, as WeChat's do, so a retry hours later is not stale.
        get headers() {
          return { 'Content-Type': 'application/json', 'User-Agent': 'Mozilla/4.0', ...platformSignatureHeaders(body, signer, now()) };
        },
        retryDelaysMs: wechat_notify_retry_delays_ms,
        accepted: (status) => status >= 200 && status < 300,
      };
      control.send(outgoing);
    },
  };
}
