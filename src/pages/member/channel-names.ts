import type { ShopChannel } from '../../services/shop-pay';

export const channelNames: Readonly<Record<ShopChannel, string>> = { wechat: '微信支付', alipay: '支付宝' };
