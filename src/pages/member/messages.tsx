import { Button, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { topic_titles, type MemberSubscriptionsResponse } from '../../../shared/api/messages';
import { call, showError } from '../../services/api';
import { askMessageConsent, messagePlatform } from '../../services/message-consent';
import { getSession } from '../../services/session';

const status_names: Record<string, string> = {
  queued: '待发送',
  sending: '发送中',
  sent: '已发送',
  failed: '发送失败',
  skipped_no_consent: '未订阅，未发送',
  skipped_no_template: '店铺未开通，未发送',
};

function when(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3_600_000);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/**
 * 消息订阅: the shop's reminders the member can get on this platform, how
 * many each may still send (a WeChat one-time subscription allows one
 * message per 允许), the button that opens the platform's dialog, and the
 * member's recent messages with what became of them.
 */
export default function MemberMessages() {
  const [data, setData] = useState<MemberSubscriptionsResponse | null>(null);
  const [signedIn, setSignedIn] = useState(true);
  const [note, setNote] = useState('');
  const platform = messagePlatform();

  const load = () => {
    if (!getSession('shopper')) {
      setSignedIn(false);
      return;
    }
    call('memberMessageSubscriptions', { as: 'shopper' })
      .then(setData)
      .catch((e: unknown) => showError(e));
  };
  useDidShow(load);

  const mine = data?.items.filter((i) => i.platform === platform) ?? [];
  const subscribe = async () => {
    try {
      const accepted = await askMessageConsent(mine.map((i) => ({ templateId: i.templateId, title: i.title })));
      setNote(accepted > 0 ? `已订阅 ${accepted} 项，每项可收到一条提醒` : '未订阅');
      load();
    } catch (e) {
      showError(e);
    }
  };

  if (!signedIn) return <View className='page'><View className='section muted'>请先在店铺首页登录后再订阅消息</View></View>;
  if (!data) return <View className='page'><View className='section muted'>加载中…</View></View>;
  return (
    <View className='page'>
      <View className='section' id='member-subscriptions'>
        <View className='section-title'>可订阅的提醒</View>
        {mine.length === 0 && <View className='muted'>本店还没有开通消息提醒</View>}
        {mine.map((i) => (
          <View className='row' key={i.templateId} id={`subscription-${i.topic}`}>
            <Text>{i.title}</Text>
            <Text className='muted'>{i.credits > 0 ? `可收 ${i.credits} 条` : i.lastResult === 'reject' || i.lastResult === 'ban' ? '已拒绝' : '未订阅'}</Text>
          </View>
        ))}
        {mine.length > 0 && (
          <Button id='subscribe-messages' type='primary' style={{ marginTop: '12px' }} onClick={() => void subscribe()}>
            订阅提醒
          </Button>
        )}
        {note && <View className='muted' id='subscribe-note'>{note}</View>}
        <View className='muted'>每次“允许”可收到一条提醒；用完后可再次订阅。</View>
      </View>
      <View className='section' id='member-recent-messages'>
        <View className='section-title'>最近的消息</View>
        {data.recent.length === 0 && <View className='muted'>还没有消息</View>}
        {data.recent.map((r) => (
          <View className='row' key={r.id}>
            <Text>{topic_titles[r.topic]}</Text>
            <Text className='muted'>{`${when(r.createdAt)} · ${status_names[r.status] ?? r.status}`}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
