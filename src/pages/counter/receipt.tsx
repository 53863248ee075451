import { Button, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { formatFen } from '../../../shared/money';
import type { Receipt } from '../../../shared/receipt/model';
import { call, showError } from '../../services/api';
import { outbox } from '../../services/outbox-store';
import { printEscpos, printerSupported } from '../../services/printer-ble';
import { busyProps } from '../../services/stock-ops';
import { ReceiptView } from '../../components/receipt-view';
import { AccountNote } from './account-note';
import './counter.less';

type Loaded = { kind: 'server'; orderId: string; receipt: Receipt } | { kind: 'offline'; receipt: Receipt; pending: boolean } | { kind: 'synced' } | { kind: 'failed' };

export default function ReceiptPage() {
  const { params } = useRouter();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [printing, setPrinting] = useState(false);

  useDidShow(() => {
    const outboxId = params.outboxId;
    if (outboxId) {
      const entry = outbox.find(outboxId);
      // An offline sale that has synced since is no longer on the device: show the server's receipt.
      if (entry) setLoaded({ kind: 'offline', receipt: entry.receipt, pending: entry.status === 'pending' });
      else void loadServer(outboxId);
      return;
    }
    if (params.orderId) void loadServer(params.orderId);
  });

  const loadServer = async (orderId: string) => {
    try {
      const { receipt } = await call('receipt', { params: { orderId } });
      setLoaded({ kind: 'server', orderId, receipt });
    } catch {
      setLoaded({ kind: 'failed' });
    }
  };

  const print = async () => {
    if (loaded?.kind !== 'server' || printing) return;
    setPrinting(true);
    try {
      const { base64 } = await call('receiptEscpos', { params: { orderId: loaded.orderId } });
      await printEscpos(base64);
      void Taro.showToast({ title: '已发送到打印机', icon: 'success' });
    } catch (e) {
      showError(e instanceof Error ? e : new Error('打印失败，请检查打印机'));
    } finally {
      setPrinting(false);
    }
  };

  // Back to the billing page that opened this receipt (its bill is already cleared), or a fresh one.
  const next = () => {
    const pages = Taro.getCurrentPages();
    const previous = pages[pages.length - 2];
    if (previous?.route?.replace(/^\//, '').startsWith('pages/counter/index')) void Taro.navigateBack();
    else void Taro.redirectTo({ url: '/pages/counter/index' });
  };

  const receipt = loaded?.kind === 'server' || loaded?.kind === 'offline' ? loaded.receipt : null;
  const canPrint = printerSupported && loaded?.kind === 'server';
  return (
    <View className='page counter'>
      {/* The outcome and the next steps come first, so they are in view without scrolling past the slip. */}
      <View className='section result-head' id='sale-result'>
        {receipt && (
          <View>
            {/* Opened right after a sale (`sold=1`) it says the money was taken; from 今日订单 it is just the order. */}
            <View className='result-title'>{params.sold !== '1' ? '订单小票' : loaded?.kind === 'offline' ? '已离线收款' : '收款成功'}</View>
            <View id='result-total' className='result-amount'>
              {formatFen(receipt.totalFen)}
            </View>
            {receipt.changeFen !== undefined && receipt.changeFen > 0 && (
              <View id='result-change' className='section-title'>
                找零 {formatFen(receipt.changeFen)}
              </View>
            )}
            <View className='muted'>单号 {receipt.receiptNo}</View>
          </View>
        )}
        {loaded?.kind === 'offline' && (
          <View id='offline-badge' className='offline-tag'>
            离线单 · {loaded.pending ? '待同步' : '同步被拒，请到离线单页处理'}
          </View>
        )}
        {loaded?.kind === 'failed' && <View className='muted'>小票暂时打不开，请联网后在今日订单里查看。</View>}
        <View className='result-actions'>
          <Button id='continue' type='primary' onClick={next}>
            继续开单
          </Button>
          {/* A browser cannot reach a Bluetooth printer: no button that can never work, a note below instead. */}
          {printerSupported && (
            <Button id='print' {...busyProps(!canPrint || printing)} {...busyProps(printing, true)} onClick={() => void print()}>
              {loaded?.kind === 'offline' ? '同步后可打印' : '蓝牙打印小票'}
            </Button>
          )}
          <Button id='result-orders' onClick={() => void Taro.navigateTo({ url: '/pages/counter/orders' })}>
            今日订单 / 退货
          </Button>
        </View>
        {!printerSupported && <View className='muted'>在微信或支付宝小程序里可连接蓝牙小票机打印。</View>}
        {loaded?.kind === 'offline' && <View className='muted'>联网后自动上传；小票上的单号是本机单号。</View>}
      </View>
      {receipt && (
        <View className='section'>
          <ReceiptView receipt={receipt} />
          {loaded?.kind === 'server' && params.customerId && <AccountNote customerId={params.customerId} receipt={receipt} />}
        </View>
      )}
    </View>
  );
}
