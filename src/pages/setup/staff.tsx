import { Button, Switch, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { Role } from '../../../shared/api/common';
import type { InviteResponse, StoreSummary } from '../../../shared/api/identity';
import type { ResponseOf } from '../../../shared/api/routes';
import { call } from '../../services/api';
import { roleNames } from '../../services/roles';
import { setup_pages, staffOrSignIn } from './form';
import './setup.less';

type Member = ResponseOf<'staffList'>['items'][number];
const roles: Role[] = ['owner', 'manager', 'assistant'];

/**
 * 员工管理: everyone with their role and stores; the owner changes a role or
 * the stores, deactivates someone (from their next request on), invites and
 * revokes open invitations. The server refuses a change that leaves no owner.
 */
export default function Staff() {
  const [items, setItems] = useState<Member[] | null>(null);
  const [stores, setStores] = useState<StoreSummary[]>([]);
  const [invites, setInvites] = useState<InviteResponse[]>([]);
  const [isOwner, setIsOwner] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

  const load = () => {
    const staff = staffOrSignIn(setup_pages.staff);
    if (!staff) return;
    const owner = staff.staff.role === 'owner';
    setIsOwner(owner);
    setStores(staff.stores);
    call('staffList')
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
    if (owner) void call('openInvites', { quiet: true }).then((r) => setInvites(r.items)).catch(() => setInvites([]));
  };
  useDidShow(load);

  const change = async (m: Member, body: { role?: Role; storeIds?: string[]; active?: boolean }) => {
    const r = await call('updateStaff', { params: { staffId: m.id }, body }).catch(() => null);
    if (r) void Taro.showToast({ title: '已保存', icon: 'success' });
    load();
  };

  const toggleStore = (m: Member, storeId: string) => {
    const next = m.storeIds.includes(storeId) ? m.storeIds.filter((id) => id !== storeId) : [...m.storeIds, storeId];
    if (next.length > 0) void change(m, { storeIds: next });
  };

  const revoke = async (code: string) => {
    await call('revokeInvite', { params: { code } }).catch(() => null);
    load();
  };

  const storeName = (id: string) => stores.find((s) => s.id === id)?.name ?? id;

  return (
    <View className='page'>
      <View className='section' id='staff-list'>
        <View className='section-title'>员工</View>
        {!items && <View className='muted'>加载中…</View>}
        {items?.map((m) => (
          <View key={m.id} className='s-row' data-staff-id={m.id}>
            <View className='row' onClick={() => setOpen(open === m.id ? null : m.id)}>
              <Text>
                {m.name} · {roleNames[m.role]}
                {m.active ? '' : '（已停用）'}
              </Text>
              {isOwner && <Text className='link'>{open === m.id ? '收起' : '调整 ›'}</Text>}
            </View>
            <View className='muted'>{m.role === 'owner' ? '全部门店' : m.storeIds.map(storeName).join('、') || '未分配门店'}</View>
            {isOwner && open === m.id && (
              <View className='staff-editor'>
                <View className='s-label'>角色</View>
                <View>
                  {roles.map((r) => (
                    <Text key={r} className={`chip ${m.role === r ? 'chip--on' : ''}`} onClick={() => m.role !== r && void change(m, { role: r, ...(r !== 'owner' && m.storeIds.length === 0 ? { storeIds: stores.slice(0, 1).map((s) => s.id) } : {}) })}>
                      {roleNames[r]}
                    </Text>
                  ))}
                </View>
                {m.role !== 'owner' && (
                  <>
                    <View className='s-label'>门店</View>
                    <View>
                      {stores.map((s) => (
                        <Text key={s.id} className={`chip ${m.storeIds.includes(s.id) ? 'chip--on' : ''}`} onClick={() => toggleStore(m, s.id)}>
                          {s.name}
                        </Text>
                      ))}
                    </View>
                  </>
                )}
                <View className='row'>
                  <Text>在职</Text>
                  <Switch checked={m.active} onChange={(e) => void change(m, { active: e.detail.value })} />
                </View>
              </View>
            )}
          </View>
        ))}
      </View>
      {isOwner && (
        <View className='section' id='open-invites'>
          <View className='section-title'>未使用的邀请码</View>
          {invites.length === 0 && <View className='muted'>没有未使用的邀请码</View>}
          {invites.map((i) => (
            <View key={i.code} className='s-row row' data-invite-code={i.code}>
              <Text>
                {i.code} · {i.name} · {roleNames[i.role]} · {i.expiresAt.slice(0, 10)} 前有效
              </Text>
              <View>
                <Text className='link' id={`invite-show-${i.code}`} onClick={() => void Taro.navigateTo({ url: `${setup_pages.invite}?code=${i.code}` })}>
                  二维码
                </Text>
                <Text className='link' style={{ marginLeft: '16px' }} onClick={() => void revoke(i.code)}>
                  作废
                </Text>
              </View>
            </View>
          ))}
          <Button id='invite-new' type='primary' onClick={() => void Taro.navigateTo({ url: setup_pages.invite })}>
            邀请店员
          </Button>
        </View>
      )}
    </View>
  );
}
