import { Input, Text, View } from '@tarojs/components';
import type { TradeCustomerView } from '../../../../shared/api/credit';
import { formatFen } from '../../../../shared/money';
import { matchCustomers, signedFen, type CustomerSummary } from '../../../services/counter-account';

interface Props {
  customer: TradeCustomerView | null;
  /** The store's trade customers; null while they load. */
  customers: CustomerSummary[] | null;
  typed: string;
  onTyped: (text: string) => void;
  onPick: (customerId: string) => void;
  /** Back to the list, to pick another customer. */
  onChange: () => void;
}

/** Who the sale goes on: the chosen trade customer's credit at a glance, or the list to choose from. */
export function AccountCustomer({ customer, customers, typed, onTyped, onPick, onChange }: Props) {
  return (
    <View className='section' id='account-customer'>
      <View className='section-title'>赊账客户</View>
      {customer ? (
        <View id='customer-card'>
          <View className='row'>
            <Text className='product-name' id='customer-name'>
              {customer.name}
              {customer.phone ? ` · ${customer.phone}` : ''}
            </Text>
            <Text className='link' id='customer-change' onClick={onChange}>
              换客户
            </Text>
          </View>
          <View className='credit-grid'>
            <View className='credit-cell'>
              <View className='muted'>信用额度</View>
              <View id='credit-limit'>{formatFen(customer.creditLimitFen)}</View>
            </View>
            <View className='credit-cell'>
              <View className='muted'>已欠款</View>
              <View id='credit-balance'>{formatFen(customer.balanceFen)}</View>
            </View>
            <View className='credit-cell'>
              <View className='muted'>可用额度</View>
              <View id='credit-available' className={customer.availableFen < 0 ? 'offline-tag' : ''}>
                {signedFen(customer.availableFen)}
              </View>
            </View>
          </View>
          <View className='muted'>账期 {customer.termsDays} 天{customer.prices.length > 0 ? ` · 按客户价 ${customer.prices.length} 个商品` : ' · 按零售价'}</View>
        </View>
      ) : (
        <View>
          <Input id='customer-search' className='counter-input' placeholder='搜索客户名称、联系人或电话' value={typed} onInput={(e) => onTyped(e.detail.value)} />
          {customers === null && <View className='muted'>加载客户…</View>}
          {customers && matchCustomers(customers, typed).length === 0 && <View className='muted'>没有匹配的商贸客户（店长可在「老板」→ 商贸客户里添加）</View>}
          {customers &&
            matchCustomers(customers, typed).map((c) => (
              <View key={c.id} className='product-row customer-option' data-customer={c.name} onClick={() => onPick(c.id)}>
                <View>
                  <View className='product-name'>{c.name}</View>
                  <View className='muted'>{[c.contact, c.phone].filter(Boolean).join(' · ') || '—'}</View>
                </View>
                <View className='credit-amount'>
                  <View className='muted'>可用</View>
                  <Text className={c.availableFen <= 0 ? 'offline-tag' : ''}>{signedFen(c.availableFen)}</Text>
                </View>
              </View>
            ))}
        </View>
      )}
    </View>
  );
}
