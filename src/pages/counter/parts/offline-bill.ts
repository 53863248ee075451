import Taro from '@tarojs/taro';
import type { StoreSummary } from '../../../../shared/api/identity';
import type { MemberCard } from '../../../../shared/api/members';
import type { CheckoutRequest } from '../../../../shared/api/orders';
import type { PricingResult } from '../../../../shared/pricing/types';
import type { AppliedTenders } from '../../../../shared/tenders';
import type { CounterBill } from '../../../services/counter-cart';
import type { CounterProfile } from '../../../services/counter-context';
import { offlineReceipt } from '../../../services/counter-receipt';
import { nextDeviceReceiptNo } from '../../../services/outbox';
import { deviceId, outbox, outboxChanged, storageKv } from '../../../services/outbox-store';

export interface OfflineSale {
  request: CheckoutRequest;
  result: PricingResult;
  bill: CounterBill;
  ruleNames: ReadonlyMap<string, string>;
  profile: CounterProfile;
  store: StoreSummary;
  member: MemberCard | null;
  /** Whether the request was sent and got no answer, rather than kept back because the counter knew it was offline. */
  triedOnline: boolean;
  /** The tenders as planned when not all cash (card, e-CNY, a split), for the receipt. */
  tenders?: AppliedTenders;
}

/**
 * Bills a sale taken in cash, by card or e-CNY on this device: it gets a device receipt number and a receipt now, and waits in the
 * outbox until the network is back. Returns whether it was billed; when not, the assistant has been told why.
 */
export function billOffline({ request, result, bill, ruleNames, profile, store, member, triedOnline, tenders }: OfflineSale): boolean {
  // Points are a balance on the server; spending them offline could spend them twice.
  if (request.pointsToRedeem) {
    void Taro.showModal({ title: '离线模式', content: '离线时不能用积分抵扣，请把抵扣积分清空后再收款', showCancel: false });
    return false;
  }
  const receiptNo = nextDeviceReceiptNo(storageKv, deviceId());
  const billedAt = new Date().toISOString();
  const offlineRequest: CheckoutRequest = { ...request, offline: { receiptNo, billedAt } };
  const receipt = offlineReceipt({
    bill,
    result,
    ruleNames,
    storeName: store.name,
    storeAddress: store.address,
    assistantName: profile.name,
    member,
    deviceReceiptNo: receiptNo,
    orderId: request.clientOrderId,
    billedAt,
    cashReceivedFen: request.tenders.find((t) => t.method === 'cash')?.amountFen ?? 0,
    ...(tenders ? { tenders } : {}),
  });
  const added = outbox.add({ id: request.clientOrderId, receiptNo, billedAt, request: offlineRequest, receipt, status: 'pending', ...(triedOnline ? { triedOnline } : {}) });
  if (!added.ok) {
    void Taro.showModal({ title: '无法离线开单', content: added.message, showCancel: false });
    return false;
  }
  outboxChanged();
  return true;
}
