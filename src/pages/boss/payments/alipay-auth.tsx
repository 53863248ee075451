import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { z } from 'zod';
import { call } from '../../../services/api';
import { ApiError } from '../../../services/errors';
import { callerFor } from '../../../services/request';
import './alipay-auth.less';

/**
 * The Alipay part of 收款设置 (#18): whether this shop has authorised the
 * service provider's Alipay app, and the button that gets the authorisation
 * link. On H5 the page goes to Alipay's consent page; in a mini-program,
 * which cannot open an outside page, the link is copied for the owner to open
 * in Alipay (or a browser), and the status here changes once they have agreed.
 */

const account_status_names = { pending: '等待授权', active: '已授权', revoked: '授权已失效' } as const;

/** The Alipay slice of GET /api/merchant/payment-accounts, read leniently so that this piece works with the page's full schema. */
const alipayAccount = z.object({
  mode: z.enum(['direct', 'isv']).nullable(),
  status: z.enum(['pending', 'active', 'revoked']).nullable(),
  sellerId: z.string().nullable(),
  takesPayments: z.boolean(),
  reason: z.string().nullable(),
});
export type AlipayAccountView = z.infer<typeof alipayAccount>;

const accountsCall = callerFor({
  paymentAccounts: { method: 'GET', path: '/api/merchant/payment-accounts', response: z.object({ alipay: alipayAccount }), auth: ['owner', 'manager'] },
} as const);

/** What the section says about the account, in the owner's words. */
export function alipayAuthText(account: AlipayAccountView | null): { state: string; detail: string | null } {
  if (!account || account.status === null) return { state: '未授权', detail: '授权后，顾客的支付宝付款直接进入本店的支付宝账户。' };
  if (account.mode === 'direct') return { state: account.takesPayments ? '可以收款' : '未开通', detail: '使用本店自己的支付宝应用（直连）' };
  const seller = account.sellerId ? `支付宝账户 ${account.sellerId}` : null;
  if (account.status === 'revoked') return { state: account_status_names.revoked, detail: `${seller ? `${seller}的` : ''}授权已被撤销或过期，请重新授权。` };
  return { state: account_status_names[account.status], detail: seller };
}

export interface AlipayAuthSectionProps {
  /** The account as the page already loaded it; without it the section loads it itself. */
  account?: AlipayAccountView | null;
  /** Only the owner may authorise; managers see the status. */
  isOwner: boolean;
}

export function AlipayAuthSection({ account: given, isOwner }: AlipayAuthSectionProps) {
  const [loaded, setLoaded] = useState<AlipayAccountView | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);

  useDidShow(() => {
    if (given !== undefined) return;
    accountsCall('paymentAccounts', { quiet: true })
      .then((r) => setLoaded(r.alipay))
      .catch((e: unknown) => {
        // The accounts route arrives with the 收款设置 page; until then the shop reads as not authorised.
        if (e instanceof ApiError && e.status === 404) setLoaded(null);
        else setError(e instanceof Error ? e.message : String(e));
      });
  });

  const account = given !== undefined ? given : loaded;
  const { state, detail } = alipayAuthText(account);
  const active = account?.status === 'active';

  const authorize = async () => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      const { url } = await call('alipayAuthorize', { quiet: true });
      if (process.env.TARO_ENV === 'h5') {
        window.location.href = url;
        return;
      }
      await Taro.setClipboardData({ data: url });
      setCopied(true);
      void Taro.showModal({ title: '授权链接已复制', content: '请打开支付宝（或浏览器），粘贴链接并同意授权。授权完成后回到这里刷新。', showCancel: false });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='section' id='setup-alipay-auth'>
      <View className='row'>
        <Text className='alipay-auth-title'>支付宝授权</Text>
        <Text className={active ? 'alipay-auth-on' : 'alipay-auth-off'}>{state}</Text>
      </View>
      {detail && <View className='muted'>{detail}</View>}
      {account?.reason && !active && <View className='alipay-auth-reason'>{account.reason}</View>}
      {copied && <View className='muted'>授权链接已复制，请在支付宝中打开。</View>}
      {error && <View className='alipay-auth-reason'>{error}</View>}
      {isOwner && account?.mode !== 'direct' && (
        <Button className='alipay-auth-button pay-alipay' type='primary' id='alipay-authorize' loading={busy} disabled={busy} onClick={() => void authorize()}>
          {active ? '重新授权' : '去支付宝授权'}
        </Button>
      )}
    </View>
  );
}
