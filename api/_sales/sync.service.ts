import type { StaffPrincipal } from '../_kernel/context.js';
import { isAppError } from '../_kernel/errors.js';
import type { Deps } from '../_kernel/deps.js';
import type { SyncRequest, SyncResult } from '../../shared/api/sync.js';
import { checkout } from './checkout.service.js';

/**
 * Applies an offline outbox batch one order at a time, each in its own
 * transaction, so a batch cut off mid-way leaves the orders before the cut
 * applied, and resending the batch replays them instead of billing twice. A
 * request the server refuses is reported back for the assistant; anything
 * else (a lost database) fails the batch, and the outbox sends it again.
 */
export async function syncOrders(deps: Deps, staff: StaffPrincipal, input: SyncRequest): Promise<{ results: SyncResult[] }> {
  const results: SyncResult[] = [];
  for (const order of input.orders) {
    const withDevice = { ...order, deviceId: order.deviceId ?? input.deviceId };
    try {
      const r = await checkout(deps, staff, withDevice);
      results.push({ clientOrderId: order.clientOrderId, outcome: r.replayed ? 'replayed' : 'applied', order: r.order });
    } catch (e) {
      if (isAppError(e) && e.status < 500) {
        results.push({ clientOrderId: order.clientOrderId, outcome: 'rejected', error: { code: e.code, message: e.message } });
        continue;
      }
      throw e;
    }
  }
  return { results };
}
