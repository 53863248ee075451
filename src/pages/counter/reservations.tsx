import { Button, Input, Picker, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { MemberCard } from '../../../shared/api/members';
import type { PricingContext } from '../../../shared/api/orders';
import { reservation_note_length_max, type ReservationStatus, type ReservationView } from '../../../shared/api/reservations';
import { newId } from '../../../shared/ids';
import { call } from '../../services/api';
import { emptyBill, type CounterBill } from '../../services/counter-cart';
import { shanghaiToday } from '../../services/counter-context';
import { newClientId } from '../../services/counter-ids';
import { deviceId } from '../../services/outbox-store';
import { addDays, pickupCheckout, pickupPrice, reservationRequestFor } from '../../services/reservations';
import { useCounterProfile } from './hooks';
import { ReservationGoods } from './parts/reservation-goods';
import { ReservationList } from './parts/reservation-list';
import './counter.less';
import { busyProps } from '../../services/stock-ops';

/** Reservations at the counter: take one for a member or a walk-in customer, and bill it when they pick it up. */
export default function Reservations() {
  const { store } = useCounterProfile('/pages/counter/reservations');
  const storeId = store?.id ?? '';
  const today = shanghaiToday();
  const [status, setStatus] = useState<ReservationStatus>('active');
  const [items, setItems] = useState<ReservationView[]>([]);
  const [context, setContext] = useState<PricingContext | null>(null);
  const [bill, setBill] = useState<CounterBill>(emptyBill);
  const [memberPhone, setMemberPhone] = useState('');
  const [member, setMember] = useState<MemberCard | null>(null);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [pickupBy, setPickupBy] = useState(addDays(today, 1));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState('');
  // Kept until the server answers, so a retry after a lost answer replays instead of reserving twice.
  const pendingId = useRef(newId('reservation'));
  const pickupOrderIds = useRef(new Map<string, string>());

  const load = async (which = status) => {
    if (!storeId) return;
    try {
      setItems((await call('reservations', { query: { storeId, status: which } })).items);
    } catch {
      // call() has shown the reason.
    }
  };
  useDidShow(() => void load());
  useEffect(() => {
    void load();
    if (storeId) void call('pricingContext', { params: { storeId }, quiet: true }).then(setContext, () => setContext(null));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [storeId]);

  const findMember = async () => {
    try {
      setMember((await call('memberLookup', { query: { phone: memberPhone.trim() } })).member);
    } catch {
      setMember(null);
    }
  };

  // Repeated taps are ignored while a request is out, in the handlers rather than by toggling
  // `disabled`, which the H5 build was seen to leave set after it went back to false.
  const create = async () => {
    if (busy) return;
    const built = reservationRequestFor({ reservationId: pendingId.current, storeId, member, name, phone, pickupBy, note, bill }, today);
    if (!built.ok) {
      void Taro.showToast({ title: built.message, icon: 'none' });
      return;
    }
    setBusy('create');
    try {
      await call('createReservation', { body: built.request });
      pendingId.current = newId('reservation');
      setBill(emptyBill);
      setMember(null);
      setName('');
      setPhone('');
      setNote('');
      setMemberPhone('');
      void Taro.showToast({ title: '已预约，库存已预留', icon: 'success' });
      setStatus('active');
      await load('active');
    } catch {
      // call() has shown the reason (for example, not enough stock), and the id is kept for a retry.
    } finally {
      setBusy('');
    }
  };

  const pickUp = async (r: ReservationView) => {
    if (busy) return;
    const total = pickupPrice(r, context);
    const orderId = pickupOrderIds.current.get(r.id) ?? newClientId('ord');
    pickupOrderIds.current.set(r.id, orderId);
    setBusy(r.id);
    try {
      const { order } = await call('checkout', { body: pickupCheckout(r, total, orderId, deviceId()) });
      pickupOrderIds.current.delete(r.id);
      void Taro.navigateTo({ url: `/pages/counter/receipt?orderId=${order.id}&sold=1` });
    } catch {
      pickupOrderIds.current.delete(r.id);
      await load();
    } finally {
      setBusy('');
    }
  };

  const cancel = async (r: ReservationView) => {
    if (busy) return;
    setBusy(r.id);
    try {
      await call('cancelReservation', { params: { reservationId: r.id } });
      await load();
    } catch {
      // call() has shown the reason.
    } finally {
      setBusy('');
    }
  };

  return (
    <View className='page counter'>
      <View className='section' id='new-reservation'>
        <View className='section-title'>新建预约 · {store?.name ?? ''}</View>
        <ReservationGoods storeId={storeId} bill={bill} onBill={setBill} />
        <View className='row'>
          <Input className='counter-input grow' type='number' placeholder='会员手机号（可选）' value={memberPhone} onInput={(e) => setMemberPhone(e.detail.value)} />
          <Button size='mini' style={{ marginRight: '4px' }} onClick={() => void findMember()}>
            查会员
          </Button>
        </View>
        {member ? (
          <View className='row' id='reservation-member'>
            <Text>
              会员 {member.name ?? ''} {member.phoneMasked ?? ''}
            </Text>
            <Text className='link' onClick={() => setMember(null)}>
              改为散客
            </Text>
          </View>
        ) : (
          <>
            <Input id='reservation-name' className='counter-input' placeholder='顾客姓名' value={name} onInput={(e) => setName(e.detail.value)} />
            <Input id='reservation-phone' className='counter-input' type='number' placeholder='顾客手机号' value={phone} onInput={(e) => setPhone(e.detail.value)} />
          </>
        )}
        <Picker mode='date' value={pickupBy} start={today} end={addDays(today, 30)} onChange={(e) => setPickupBy(String(e.detail.value))}>
          <View className='counter-input' id='reservation-date'>
            取货日期：{pickupBy}
          </View>
        </Picker>
        <Input className='counter-input' placeholder='备注（可选）' maxlength={reservation_note_length_max} value={note} onInput={(e) => setNote(e.detail.value)} />
        <Button id='reservation-create' type='primary' {...busyProps(busy === 'create', true)} onClick={() => void create()}>
          预约并预留库存
        </Button>
      </View>

      <ReservationList
        status={status}
        items={items}
        context={context}
        today={today}
        onStatus={(s) => {
          setStatus(s);
          void load(s);
        }}
        onCancel={(r) => void cancel(r)}
        onPickUp={(r) => void pickUp(r)}
      />
    </View>
  );
}
