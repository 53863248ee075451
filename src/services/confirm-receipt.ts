import Taro from '@tarojs/taro';

/** What the order page passes to WeChat's confirm-receipt component (extraData of `weappOrderConfirm`). */
export interface ConfirmReceiptTarget {
  transactionId: string;
  merchantId: string;
  merchantTradeNo: string;
}

/** Only the WeChat mini-program has the confirm-receipt component; H5 and Alipay never show the button. */
export const confirmReceiptSupported = process.env.TARO_ENV === 'weapp';

/**
 * Opens WeChat's 确认收货 component (`wx.openBusinessView`, businessType
 * `weappOrderConfirm`, base library 2.6.0+; 小程序确认收货组件接入说明,
 * developers.weixin.qq.com/miniprogram/dev/platform-capabilities/business-capabilities/order-shipping/order-shipping-half.html:
 * extraData is `transaction_id` or `merchant_id` + `merchant_trade_no`; the
 * payer must be the user, and the order must await receipt). The result comes back in
 * App.onShow's referrerInfo; the server learns of it from WeChat's
 * `trade_manage_order_settlement` push, so the page only refreshes.
 */
export async function openConfirmReceipt(target: ConfirmReceiptTarget): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp') return;
  // Taro types extraData only for WeChat Pay Score's business views; weappOrderConfirm takes these three fields (or transaction_id alone).
  const extraData = { transaction_id: target.transactionId, merchant_id: target.merchantId, merchant_trade_no: target.merchantTradeNo } as unknown as Taro.openBusinessView.Option['extraData'];
  await Taro.openBusinessView({ businessType: 'weappOrderConfirm', extraData });
}
