import type { Deps } from '../_kernel/deps.js';
import { AppError } from '../_kernel/errors.js';
import type { BillChannel } from '../../shared/bills/types.js';
import { bindingOf } from '../_payments/index.js';
import type { BillOwner } from './lines.js';

const names: Record<BillChannel, string> = { wechat: '微信支付', alipay: '支付宝' };

/**
 * Whose bill a merchant's bill must be (#18), from its binding: its
 * sub-merchant number under the provider's merchant number (partner), the
 * deployment's own merchant number with no sub-merchant (direct), or its
 * Alipay seller (authorised, or the deployment's own). Every bill stored for
 * the merchant, downloaded or uploaded, is read against it, so another
 * merchant's trades never reach its reconciliation nor its fees.
 *
 * A deployment without the channel's keys has nothing to compare with: the
 * merchant then reconciles bills from its own account by hand, which cannot
 * hold anyone else's trades on this deployment, and `null` lets them in.
 */
export async function billOwner(deps: Deps, merchantId: string, channel: BillChannel): Promise<BillOwner | null> {
  if (!deps.payments.configured(channel)) return null;
  const found = await bindingOf(deps, merchantId, channel);
  if (!found.binding) throw new AppError('invalid_state', `该商户未开通${names[channel]}（${found.reason}），没有属于本商户的${names[channel]}账单`);
  const platform = deps.payments.platform(channel);
  const b = found.binding;
  if (b.channel === 'wechat') return { channel: 'wechat', mchid: platform.merchantNo, subMchid: b.mode === 'partner' ? b.subMchid : null };
  return { channel: 'alipay', sellerId: b.mode === 'isv' ? b.sellerId : platform.merchantNo };
}
