import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { formatFen } from '../../../shared/money';
import { formatShanghaiTime } from '../../../shared/receipt/layout';
import type { OutboxEntry } from '../../services/outbox';
import { onOutboxChange, outbox, outboxChanged, syncOutboxNow } from '../../services/outbox-store';
import { useOnline } from './hooks';
import './counter.less';
import { busyProps } from '../../services/stock-ops';

export default function OutboxPage() {
  const online = useOnline();
  const [entries, setEntries] = useState<OutboxEntry[]>(() => outbox.list());
  const [status, setStatus] = useState('');
  const [syncing, setSyncing] = useState(false);

  useDidShow(() => setEntries(outbox.list()));
  useEffect(() => {
    const off = onOutboxChange(() => setEntries(outbox.list()));
    return () => {
      off();
    };
  }, []);

  const sync = async () => {
    if (syncing) return;
    setSyncing(true);
    setStatus('正在同步…');
    try {
      const r = await syncOutboxNow();
      setStatus(
        r.interrupted
          ? `已上传 ${r.synced} 单，网络中断，还有 ${r.remaining} 单待同步`
          : `已上传 ${r.synced} 单${r.rejected > 0 ? `，${r.rejected} 单被拒，请查看原因` : ''}`,
      );
    } catch {
      setStatus('同步失败，请稍后再试');
    } finally {
      setSyncing(false);
    }
  };

  const retry = (id: string) => {
    outbox.retry(id);
    outboxChanged();
  };

  const pending = entries.filter((e) => e.status === 'pending').length;

  return (
    <View className='page counter' id='outbox'>
      <View className='section'>
        <View className='row'>
          <Text className='section-title'>离线单（本地备份）</Text>
          <Text className={online ? 'muted' : 'offline-tag'}>{online ? '在线' : '离线'}</Text>
        </View>
        <View className='muted' id='outbox-status'>
          {status || (entries.length === 0 ? '没有待同步的离线单' : `${pending} 单待同步${entries.length > pending ? `，${entries.length - pending} 单被拒` : ''}`)}
        </View>
        <Button id='outbox-sync' type='primary' {...busyProps(syncing || pending === 0)} {...busyProps(syncing, true)} onClick={() => void sync()}>
          立即同步
        </Button>
      </View>
      <View className='section'>
        {entries.map((e) => (
          <View key={e.id} className='list-item outbox-item' data-id={e.id} data-status={e.status}>
            <View className='row'>
              <Text>{e.receiptNo}</Text>
              <Text className='price'>{formatFen(e.request.expectedTotalFen)}</Text>
            </View>
            <View className='row'>
              <Text className='muted'>
                {formatShanghaiTime(e.billedAt)} · {e.request.lines.reduce((s, l) => s + l.qty, 0)} 件
              </Text>
              <Text className={e.status === 'pending' ? 'muted' : 'offline-tag'}>{e.status === 'pending' ? '待同步' : '被拒'}</Text>
            </View>
            {e.rejection && <View className='offline-tag outbox-reason'>{e.rejection.message}</View>}
            <View className='row'>
              <Text className='link outbox-view' onClick={() => void Taro.navigateTo({ url: `/pages/counter/receipt?outboxId=${e.id}` })}>
                查看小票
              </Text>
              {e.status === 'rejected' && (
                <Text className='link outbox-retry' onClick={() => retry(e.id)}>
                  重新提交
                </Text>
              )}
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}
