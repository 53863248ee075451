import { Button, Picker, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { formatFen } from '../../../../shared/money';
import { call, sign_in_page } from '../../../services/api';
import { getSession } from '../../../services/session';
import { beijingToday, centisLabel, monthToDate, previousMonth, tierLabel } from '../../../services/credit-view';
import '../ledger/index.less';
import '../credit/index.less';
import { RuleForm } from './rule-form';

type Performance = Awaited<ReturnType<typeof call<'staffPerformance'>>>;
type Rules = Awaited<ReturnType<typeof call<'commissionRules'>>>['items'];
type Statements = Awaited<ReturnType<typeof call<'commissionStatements'>>>;

const scope_labels = { role: '按角色', category: '按品类', sku: '按商品' } as const;

/** Staff performance for the month so far, the commission rules, and last month's statements to confirm. */
export default function Commission() {
  const today = beijingToday();
  const [perf, setPerf] = useState<Performance | null>(null);
  const [rules, setRules] = useState<Rules>([]);
  // The latest month that can be confirmed, unless a link asks for another (a draft of the month so far can be looked at).
  const asked = useRouter().params.month;
  const [month, setMonth] = useState(asked && /^\d{4}-\d{2}$/.test(asked) ? asked : previousMonth(today));
  const [statements, setStatements] = useState<Statements | null>(null);
  const staff = getSession('staff');
  const isOwner = staff?.staff.role === 'owner';

  const load = (m = month) => {
    if (!staff) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent('/pages/boss/commission/index')}` });
      return Promise.resolve();
    }
    return Promise.all([
      call('staffPerformance', { query: monthToDate(today) }).then(setPerf),
      call('commissionRules').then((r) => setRules(r.items)),
      isOwner ? call('commissionStatements', { query: { month: m } }).then(setStatements) : Promise.resolve(),
    ]).catch(() => undefined);
  };
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const confirm = async (staffId: string, name: string, amountFen: number) => {
    const ok = await Taro.showModal({ title: '确认提成', content: `${name} ${month} 提成 ${formatFen(amountFen)}，确认后记账且不能更改。` });
    if (!ok.confirm) return;
    await call('confirmCommissionStatement', { body: { staffId, month, expectedAmountFen: amountFen } });
    void Taro.showToast({ title: '已确认', icon: 'success' });
    await load();
  };

  return (
    <View className='page'>
      <View className='section' id='performance'>
        <View className='section-title'>本月业绩（{monthToDate(today).from} 至今）</View>
        <View className='row tb-head muted'>
          <Text className='tb-account'>店员</Text>
          <Text className='tb-amount'>净销售额</Text>
          <Text className='tb-amount'>单数</Text>
          <Text className='tb-amount'>客单价</Text>
          <Text className='tb-amount'>客件数</Text>
        </View>
        {perf && perf.items.length === 0 && <View className='muted'>本月还没有销售。</View>}
        {perf?.items.map((p) => (
          <View key={p.staffId} className='row tb-row' data-staff={p.name}>
            <View className='tb-account'>
              <View>{p.name}</View>
              {p.returnsFen > 0 && <View className='muted'>退货 {formatFen(p.returnsFen)}</View>}
            </View>
            <Text className='tb-amount'>{formatFen(p.netSalesFen)}</Text>
            <Text className='tb-amount'>{p.saleCount}</Text>
            <Text className='tb-amount'>{formatFen(p.avgTicketFen)}</Text>
            <Text className='tb-amount'>{centisLabel(p.itemsPerSaleCentis)}</Text>
          </View>
        ))}
      </View>

      <View className='section' id='rules'>
        <View className='section-title'>提成规则</View>
        <View className='muted'>每件商品只按一条规则提成：商品规则优先，其次品类，最后按店员角色。阶梯按店员当月商品净销售额（商品行折后金额减退货，不含积分抵扣和抹零）确定，整月适用。</View>
        {rules.length === 0 && <View className='muted'>还没有提成规则。</View>}
        {rules.map((r) => (
          <View key={r.id} className='statement-line rule-row' data-rule={r.targetName}>
            <View>
              {scope_labels[r.scope]} · {r.targetName}
            </View>
            {r.tiers.map((t) => (
              <View key={t.fromFen} className='muted'>
                {tierLabel(r.kind, t)}
              </View>
            ))}
          </View>
        ))}
      </View>

      {isOwner && <RuleForm onSaved={setRules} />}

      {isOwner && (
        <View className='section' id='statements'>
          <View className='row'>
            <Text className='section-title'>提成结算单</Text>
            <Picker
              mode='date'
              fields='month'
              value={month}
              onChange={(e) => {
                const m = e.detail.value.slice(0, 7);
                setMonth(m);
                void load(m);
              }}
            >
              <Text>{month} ›</Text>
            </Picker>
          </View>
          {statements?.items.map((s) => (
            <View key={s.staffId} className='row statement-line' data-statement={s.name}>
              <View>
                <View>{s.name}</View>
                <View className='muted'>商品净销售额 {formatFen(s.netSalesFen)}</View>
              </View>
              <View className='credit-amount'>
                <View className='price'>{formatFen(s.amountFen)}</View>
                {s.status === 'confirmed' ? (
                  <View className='muted'>已确认</View>
                ) : month >= today.slice(0, 7) ? (
                  <View className='muted'>月末后可确认</View>
                ) : (
                  <Button size='mini' className='credit-button confirm-statement' onClick={() => void confirm(s.staffId, s.name, s.amountFen).catch(() => undefined)}>
                    确认
                  </Button>
                )}
              </View>
            </View>
          ))}
        </View>
      )}
    </View>
  );
}
