import { Picker, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { canDecideReturns, chooseStore, type CounterProfile } from '../../../services/counter-context';
import type { StoreSummary } from '../../../../shared/api/identity';
import { roleNames } from '../../../services/roles';

interface Props {
  profile: CounterProfile | null;
  store: StoreSummary | null;
  online: boolean;
  outboxCounts: { pending: number; rejected: number };
  /** Paid shop orders waiting for handover; null until first asked. */
  pickupCount: number | null;
  /** Called after the assistant switched to another store: the bill on screen belonged to the old one. */
  onStoreChosen: () => void;
}

/** Who is at the counter, in which store, whether the network is up, and the links to the other counter pages. */
export function CounterHeader({ profile, store, online, outboxCounts, pickupCount, onStoreChosen }: Props) {
  return (
    <View className='section counter-header'>
      <View className='row'>
        <Text id='counter-staff' className='section-title'>
          {profile ? `${profile.name} · ${roleNames[profile.role]}` : ''}
        </Text>
        <Text id='network-status' className={online ? 'muted' : 'offline-tag'}>
          {online ? '在线' : '离线模式'}
        </Text>
      </View>
      {profile && profile.stores.length > 1 ? (
        <Picker
          mode='selector'
          range={profile.stores.map((s) => s.name)}
          value={Math.max(0, profile.stores.findIndex((s) => s.id === store?.id))}
          onChange={(e) => {
            const next = profile.stores[Number(e.detail.value)];
            if (next) chooseStore(next.id);
            onStoreChosen();
          }}
        >
          <View id='counter-store' className='muted'>
            {store?.name} ▾
          </View>
        </Picker>
      ) : (
        <View id='counter-store' className='muted'>
          {store ? `${store.name} · ${store.address}` : profile ? '没有可用的门店' : ''}
        </View>
      )}
      <View className='counter-links'>
        <Text id='orders-link' className='link' onClick={() => void Taro.navigateTo({ url: '/pages/counter/orders' })}>
          今日订单 / 退货
        </Text>
        {canDecideReturns(profile?.role) && (
          <Text id='pending-link' className='link' onClick={() => void Taro.navigateTo({ url: '/pages/counter/returns' })}>
            审批（退货 / 改价）
          </Text>
        )}
        <Text id='pickup-link' className={pickupCount ? 'link pickup-waiting' : 'link'} onClick={() => void Taro.navigateTo({ url: '/pages/counter/pickup' })}>
          自助取货
          {pickupCount ? (
            <Text id='pickup-badge' className='badge'>
              {pickupCount}
            </Text>
          ) : null}
        </Text>
        <Text id='reservations-link' className='link' onClick={() => void Taro.navigateTo({ url: '/pages/counter/reservations' })}>
          预约取货
        </Text>
        <Text id='outbox-link' className={outboxCounts.rejected > 0 ? 'link offline-tag' : 'link'} onClick={() => void Taro.navigateTo({ url: '/pages/counter/outbox' })}>
          离线单 {outboxCounts.pending + outboxCounts.rejected}
        </Text>
      </View>
    </View>
  );
}
