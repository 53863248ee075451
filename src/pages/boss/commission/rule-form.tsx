import { Button, Input, Picker, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { ProductSummary } from '../../../../shared/api/catalog';
import { formatFen } from '../../../../shared/money';
import { call } from '../../../services/api';
import { addTier, emptyRuleDraft, messagesOf, removeTier, ruleRequestOf, setTier, type FieldMessages, type RuleDraft, type RuleKind, type RuleRole, type RuleScope } from '../../../services/commission-form';
import { specText } from '../../../services/counter-cart';
import { ApiError } from '../../../services/errors';
import { getSession } from '../../../services/session';
import { busyProps } from '../../../services/stock-ops';
import './rule-form.less';

type Rules = Awaited<ReturnType<typeof call<'commissionRules'>>>['items'];

const scopes: [RuleScope, string][] = [
  ['role', '按角色'],
  ['category', '按品类'],
  ['sku', '按商品'],
];
const roles: [RuleRole, string][] = [
  ['assistant', '店员'],
  ['manager', '店长'],
  ['owner', '店主'],
];
const kinds: [RuleKind, string][] = [
  ['percent', '按商品净销售额比例'],
  ['per_item', '按件固定金额'],
];

function Chips<K extends string>({ name, options, value, onPick }: { name: string; options: [K, string][]; value: K; onPick: (k: K) => void }) {
  return (
    <View className='rule-chips'>
      {options.map(([k, label]) => (
        <Text key={k} id={`${name}-${k}`} className={k === value ? 'rule-chip rule-chip--on' : 'rule-chip'} onClick={() => onPick(k)}>
          {label}
        </Text>
      ))}
    </View>
  );
}

/** The owner's form for one commission rule; the API's messages appear next to the fields they concern. */
export function RuleForm({ onSaved }: { onSaved: (items: Rules) => void }) {
  const [draft, setDraft] = useState<RuleDraft>(emptyRuleDraft);
  const [messages, setMessages] = useState<FieldMessages>({});
  const [busy, setBusy] = useState(false);
  const [categories, setCategories] = useState<{ id: string; name: string }[]>([]);
  const [skuQuery, setSkuQuery] = useState('');
  const [found, setFound] = useState<ProductSummary[]>([]);
  const store = getSession('staff')?.stores[0];

  useEffect(() => {
    if (draft.scope !== 'category' || !store || categories.length > 0) return;
    call('publicCategories', { params: { code: store.code }, quiet: true })
      .then((r) => setCategories(r.items))
      .catch(() => undefined);
  }, [draft.scope, store, categories.length]);

  const searchSkus = () => {
    if (!store || skuQuery.trim() === '') return;
    call('storeProducts', { params: { storeId: store.id }, query: { q: skuQuery.trim(), limit: 20 } })
      .then((r) => setFound(r.items))
      .catch(() => undefined);
  };

  const change = (next: RuleDraft) => {
    setDraft(next);
    setMessages({});
  };

  const save = async () => {
    if (busy) return;
    const built = ruleRequestOf(draft);
    if (!built.ok) {
      setMessages(built.messages);
      return;
    }
    setBusy(true);
    try {
      const res = await call('saveCommissionRule', { body: built.request, quiet: true });
      onSaved(res.items);
      setDraft(emptyRuleDraft);
      setMessages({});
      setFound([]);
      void Taro.showToast({ title: '规则已保存', icon: 'success' });
    } catch (e) {
      setMessages(e instanceof ApiError ? messagesOf(e.message, e.fields) : { form: '保存失败，请重试' });
    } finally {
      setBusy(false);
    }
  };

  const percent = draft.kind === 'percent';
  return (
    <View className='section' id='rule-form'>
      <View className='section-title'>新建提成规则</View>
      <View className='muted'>同一角色、品类或商品已有规则时，新规则替换旧规则。</View>

      <View className='rule-label'>适用范围</View>
      <Chips name='rule-scope' options={scopes} value={draft.scope} onPick={(scope) => change({ ...draft, scope, target: null })} />
      {draft.scope === 'role' && <Chips name='rule-role' options={roles} value={draft.role} onPick={(role) => change({ ...draft, role })} />}
      {draft.scope === 'category' && (
        <Picker
          mode='selector'
          range={categories.map((c) => c.name)}
          value={Math.max(0, categories.findIndex((c) => c.id === draft.target?.id))}
          onChange={(e) => {
            const c = categories[Number(e.detail.value)];
            if (c) change({ ...draft, target: { id: c.id, name: c.name } });
          }}
        >
          <View className='credit-input' id='rule-category'>
            {draft.target ? `品类：${draft.target.name}` : categories.length === 0 ? '正在读取品类…' : '选择品类 ▾'}
          </View>
        </Picker>
      )}
      {draft.scope === 'sku' && (
        <View>
          {draft.target && <View id='rule-sku'>商品：{draft.target.name}</View>}
          <View className='row'>
            <Input className='credit-input rule-grow' id='rule-sku-search' placeholder='商品名称、拼音首字母或条码' value={skuQuery} onInput={(e) => setSkuQuery(e.detail.value)} onConfirm={searchSkus} />
            <Button size='mini' id='rule-sku-find' onClick={searchSkus}>
              查找
            </Button>
          </View>
          {found.flatMap((p) =>
            p.skus.map((s) => (
              <View
                key={s.id}
                className='row statement-line rule-sku-option'
                data-sku={s.id}
                onClick={() => {
                  change({ ...draft, target: { id: s.id, name: `${p.name} ${specText(s.spec)}`.trim() } });
                  setFound([]);
                }}
              >
                <Text>
                  {p.name} {specText(s.spec)}
                </Text>
                <Text className='muted'>{formatFen(s.retailPriceFen)}</Text>
              </View>
            )),
          )}
        </View>
      )}
      {messages.target && <View className='rule-error' id='rule-target-error'>{messages.target}</View>}

      <View className='rule-label'>提成方式</View>
      <Chips name='rule-kind' options={kinds} value={draft.kind} onPick={(kind) => change({ ...draft, kind })} />
      {messages.kind && <View className='rule-error'>{messages.kind}</View>}

      <View className='rule-label'>阶梯（按店员当月商品净销售额，元）</View>
      {draft.tiers.map((t, i) => (
        <View key={i} className='tier-row' data-tier={i}>
          <View className='row'>
            <Input className='credit-input tier-input tier-from' type='digit' placeholder='从' value={t.from} onInput={(e) => change(setTier(draft, i, { from: e.detail.value }))} />
            <Text className='muted'>至</Text>
            <Input className='credit-input tier-input tier-to' type='digit' placeholder='不封顶' value={t.to} onInput={(e) => change(setTier(draft, i, { to: e.detail.value }))} />
            {percent ? (
              <Input className='credit-input tier-input tier-rate' type='digit' placeholder='比例 %' value={t.rate} onInput={(e) => change(setTier(draft, i, { rate: e.detail.value }))} />
            ) : (
              <Input className='credit-input tier-input tier-rate' type='digit' placeholder='每件 元' value={t.perItem} onInput={(e) => change(setTier(draft, i, { perItem: e.detail.value }))} />
            )}
            <Text className='muted'>{percent ? '%' : '元/件'}</Text>
            {draft.tiers.length > 1 && (
              <Text className='link tier-remove' onClick={() => change(removeTier(draft, i))}>
                删
              </Text>
            )}
          </View>
          {messages[`tier.${i}`] && <View className='rule-error tier-error'>{messages[`tier.${i}`]}</View>}
        </View>
      ))}
      <Text className='link' id='tier-add' onClick={() => change(addTier(draft))}>
        + 加一档
      </Text>
      {messages.tiers && <View className='rule-error' id='rule-tiers-error'>{messages.tiers}</View>}
      {messages.form && <View className='rule-error' id='rule-form-error'>{messages.form}</View>}

      <Button className='credit-button' id='rule-submit' {...busyProps(busy, true)} onClick={() => void save()}>
        保存规则
      </Button>
    </View>
  );
}
