import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { sub_mchid_pattern, type PaymentAccountsResponse } from '../../../../shared/api/payment-accounts';
import { call } from '../../../services/api';
import { getSession } from '../../../services/session';
import { AlipayAuthSection } from './alipay-auth';
import './payments.less';

const status_names = { pending: '待生效', active: '已开通', revoked: '已停用' } as const;

/** One channel's state in words: on, or off and why (the reason comes from the API). */
function ChannelState({ id, title, takesPayments, reason, detail }: { id: string; title: string; takesPayments: boolean; reason: string | null; detail: string | null }) {
  return (
    <View className='section' id={id}>
      <View className='row'>
        <Text className='setup-title'>{title}</Text>
        <Text className={takesPayments ? 'setup-on' : 'setup-off'}>{takesPayments ? '可以收款' : '未开通'}</Text>
      </View>
      {detail && <View className='muted'>{detail}</View>}
      {!takesPayments && <View className='setup-reason'>顾客不能用{title}付款：{reason ?? '未开通'}。现金、刷卡和赊账不受影响。</View>}
    </View>
  );
}

/**
 * 收款设置 (#18): whether each platform takes payments for this shop and why
 * not. In a service provider's deployment the owner enters the WeChat Pay
 * sub-merchant number (特约商户号) the provider's 进件 gave the shop; the
 * Alipay authorisation has its own section. Managers see it; only the owner
 * may change it (the API refuses anyone else).
 */
export default function PaymentSetup() {
  const [accounts, setAccounts] = useState<PaymentAccountsResponse | null>(null);
  const [subMchid, setSubMchid] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useDidShow(() => {
    void call('paymentAccounts')
      .then((r) => {
        setAccounts(r);
        setSubMchid(r.wechat.subMchid ?? '');
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  });

  const save = async () => {
    const value = subMchid.trim();
    if (!sub_mchid_pattern.test(value)) {
      setError('特约商户号须为 8–12 位数字');
      return;
    }
    setError('');
    setBusy(true);
    try {
      const r = await call('setWechatSubMerchant', { body: { subMchid: value }, quiet: true });
      setAccounts(r);
      void Taro.showToast({ title: '已保存', icon: 'success' });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (!accounts) return <View className='page'>{error ? <View className='setup-reason'>{error}</View> : <View className='muted'>加载中…</View>}</View>;
  const { wechat, alipay, deployment } = accounts;
  const partner = deployment.wechatMode === 'partner';
  return (
    <View className='page' id='payment-setup'>
      <ChannelState
        id='setup-wechat'
        title='微信支付'
        takesPayments={wechat.takesPayments}
        reason={wechat.reason}
        detail={wechat.subMchid ? `特约商户号 ${wechat.subMchid}（${wechat.status ? status_names[wechat.status] : ''}）` : wechat.mode === 'direct' && !partner ? '使用本店自己的微信支付商户号（直连）' : null}
      />
      {partner && (
        <View className='section' id='setup-wechat-form'>
          <View className='setup-title'>微信支付特约商户号</View>
          <View className='muted'>服务商为本店完成进件后，微信支付给出的 8–12 位数字商户号。填写后，本店的微信收款、退款、分账和对账单都在这个商户号下。</View>
          <Input className='cash-note-input' id='setup-sub-mchid' type='number' value={subMchid} placeholder='例如 1900000201' maxlength={12} onInput={(e) => setSubMchid(e.detail.value)} />
          {error && <View className='setup-reason' id='setup-error'>{error}</View>}
          <View className='actions-row'>
            <Button className='btn-primary' id='setup-save' size='mini' type='primary' loading={busy} disabled={busy} onClick={() => void save()}>
              保存
            </Button>
          </View>
        </View>
      )}
      {/* The Alipay authorisation (third-party app, #18): a shop on the deployment's own Alipay account (direct) has nothing to authorise. */}
      <View id='setup-alipay'>
        <ChannelState
          id='setup-alipay-state'
          title='支付宝'
          takesPayments={alipay.takesPayments}
          reason={alipay.reason}
          detail={alipay.sellerId ? `已授权：支付宝账号 ${alipay.sellerId}（${alipay.status ? status_names[alipay.status] : ''}）` : alipay.mode === 'direct' ? '使用本店自己的支付宝应用（直连）' : null}
        />
        {alipay.mode !== 'direct' && <AlipayAuthSection isOwner={getSession('staff')?.staff.role === 'owner'} />}
      </View>
    </View>
  );
}
