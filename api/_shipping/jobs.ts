import type { Deps } from '../_kernel/deps.js';
import { duePayments } from './shipping.repository.js';
import { shipPayment, type ShipResult } from './upload.service.js';

export interface ShippingJobResult {
  tried: number;
  uploaded: number;
  failed: number;
}

/**
 * The sweep that makes shipping information reach WeChat however the first
 * try went: every WeChat mini-program payment not yet uploaded and past its
 * backoff is tried once per run (only one merchant's, when it is named). Run
 * with the two-minute payments job.
 */
export async function runShippingJobs(deps: Deps, scope: { merchantId?: string } = {}): Promise<ShippingJobResult> {
  const result: ShippingJobResult = { tried: 0, uploaded: 0, failed: 0 };
  if (!deps.config.wechatApp.appId || !deps.config.wechatApp.appSecret) return result;
  for (const id of await duePayments(deps.db, deps.clock(), scope.merchantId)) {
    let outcome: ShipResult;
    try {
      outcome = await shipPayment(deps, id, 'job');
    } catch (e) {
      deps.log.warn('shipping job could not upload a payment', { paymentId: id, error: e instanceof Error ? e.message : String(e) });
      continue;
    }
    result.tried++;
    if (outcome === 'uploaded' || outcome === 'already_shipped') result.uploaded++;
    else if (outcome !== 'busy' && outcome !== 'done' && outcome !== 'not_shippable') result.failed++;
  }
  return result;
}

/**
 * Right after a payment settles: one try without holding up the caller (a
 * platform notification must be answered within seconds). Whatever happens
 * here, the job tries again.
 */
export function shipSoon(deps: Deps, paymentId: string): void {
  if (!deps.config.wechatApp.appId || !deps.config.wechatApp.appSecret) return;
  void shipPayment(deps, paymentId, 'settled').catch((e: unknown) => {
    deps.log.warn('shipping upload after settlement failed; the job retries', { paymentId, error: e instanceof Error ? e.message : String(e) });
  });
}
