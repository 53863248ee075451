import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { audit } from '../_audit/index.js';
import type { PaymentAccountsResponse, WechatSubMerchantRequest } from '../../shared/api/payment-accounts.js';
import { bindingOf } from './bindings.js';

/** The merchant's payment identities and whether each channel takes platform payments, with the reason when not (#18). */
export async function paymentAccounts(deps: Deps, staff: StaffPrincipal): Promise<PaymentAccountsResponse> {
  const rows = await deps.db.selectFrom('merchant_payment_accounts').select(['channel', 'mode', 'status', 'sub_mchid', 'sub_appid', 'seller_id', 'auth_app_id']).where('merchant_id', '=', staff.merchantId).execute();
  const wechatRow = rows.find((r) => r.channel === 'wechat');
  const alipayRow = rows.find((r) => r.channel === 'alipay');
  const wechatConfigured = deps.payments.configured('wechat');
  const alipayConfigured = deps.payments.configured('alipay');
  const wechat = wechatConfigured ? await bindingOf(deps, staff.merchantId, 'wechat') : { binding: null, reason: '本部署未配置微信支付' };
  const alipay = alipayConfigured ? await bindingOf(deps, staff.merchantId, 'alipay') : { binding: null, reason: '本部署未配置支付宝' };
  return {
    deployment: { wechatMode: deps.payments.wechatMode(), wechatConfigured, alipayConfigured },
    wechat: {
      mode: wechatRow?.mode === 'direct' || wechatRow?.mode === 'partner' ? wechatRow.mode : null,
      status: wechatRow?.status ?? null,
      subMchid: wechatRow?.sub_mchid ?? null,
      subAppid: wechatRow?.sub_appid ?? null,
      takesPayments: wechat.binding !== null,
      reason: wechat.binding ? null : wechat.reason,
    },
    alipay: {
      mode: alipayRow?.mode === 'direct' || alipayRow?.mode === 'isv' ? alipayRow.mode : null,
      status: alipayRow?.status ?? null,
      sellerId: alipayRow?.seller_id ?? null,
      authAppId: alipayRow?.auth_app_id ?? null,
      takesPayments: alipay.binding !== null,
      reason: alipay.binding ? null : alipay.reason,
    },
  };
}

const taken_message = '该特约商户号已被其他商户使用，请核对后重试；如确属本店，请联系服务商处理';

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

/**
 * The owner enters the shop's WeChat Pay sub-merchant number (特约商户号),
 * which the service provider's 进件 gave it; from then on the shop's WeChat
 * payments, refunds, splits and bills are made under it. Only in a service
 * provider's deployment (WECHATPAY_MODE=partner). A number another merchant
 * holds is refused (409) without saying whose it is. Audited with before and
 * after; the same number again changes nothing.
 */
export async function setWechatSubMerchant(deps: Deps, staff: StaffPrincipal, input: WechatSubMerchantRequest): Promise<PaymentAccountsResponse> {
  if (deps.payments.wechatMode() !== 'partner') throw new AppError('invalid_state', '本部署为直连模式（使用本店自己的微信支付商户号），无需填写特约商户号');
  const subAppid = input.subAppid ?? null;
  const before = await deps.db.selectFrom('merchant_payment_accounts').select(['mode', 'status', 'sub_mchid', 'sub_appid']).where('merchant_id', '=', staff.merchantId).where('channel', '=', 'wechat').executeTakeFirst();
  if (before && before.mode === 'partner' && before.status === 'active' && before.sub_mchid === input.subMchid && before.sub_appid === subAppid) return paymentAccounts(deps, staff);
  const holder = await deps.db.selectFrom('merchant_payment_accounts').select('merchant_id').where('sub_mchid', '=', input.subMchid).executeTakeFirst();
  if (holder && holder.merchant_id !== staff.merchantId) throw new AppError('conflict', taken_message, [{ path: 'subMchid', message: taken_message }]);
  const now = deps.clock();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('merchant_payment_accounts')
        .values({ merchant_id: staff.merchantId, channel: 'wechat', mode: 'partner', status: 'active', sub_mchid: input.subMchid, sub_appid: subAppid, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['merchant_id', 'channel']).doUpdateSet({ mode: 'partner', status: 'active', sub_mchid: input.subMchid, sub_appid: subAppid, updated_at: now }))
        .execute();
      await audit(trx, {
        merchantId: staff.merchantId,
        actorId: staff.staffId,
        action: 'payment_account.wechat_sub_merchant',
        subjectId: staff.merchantId,
        detail: { before: before ?? null, after: { mode: 'partner', status: 'active', sub_mchid: input.subMchid, sub_appid: subAppid } },
      });
    });
  } catch (e) {
    // Two shops entering the same number at once: the unique index decides, and the loser hears the same 409.
    if (isUniqueViolation(e)) throw new AppError('conflict', taken_message, [{ path: 'subMchid', message: taken_message }]);
    throw e;
  }
  return paymentAccounts(deps, staff);
}
