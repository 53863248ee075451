import { Hono } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { readJson } from '../_kernel/validate.js';
import { wechatSubMerchantRequest } from '../../shared/api/payment-accounts.js';
import { paymentAccounts, setWechatSubMerchant } from './accounts.service.js';

/** 收款设置 (#18): the merchant's payment identities; the owner sets the WeChat sub-merchant number. */
export const paymentAccountRoutes = new Hono<AppEnv>();

paymentAccountRoutes.get('/merchant/payment-accounts', requireAuth(['owner', 'manager']), async (c) => {
  return c.json(await paymentAccounts(c.get('deps'), staffOf(c.get('principal'))));
});

paymentAccountRoutes.put('/merchant/payment-accounts/wechat', requireAuth(['owner']), async (c) => {
  const body = await readJson(c, wechatSubMerchantRequest);
  return c.json(await setWechatSubMerchant(c.get('deps'), staffOf(c.get('principal')), body));
});
