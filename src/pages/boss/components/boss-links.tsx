import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { StockAlertsEntry } from './stock-alerts-entry';

interface Link {
  id: string;
  label: string;
  action: '查看 ›' | '进入 ›';
  url: string;
}

function LinkRow({ id, label, action, url }: Link) {
  return (
    <View className='section row' id={id} onClick={() => void Taro.navigateTo({ url })}>
      <Text>{label}</Text>
      <Text className='muted'>{action}</Text>
    </View>
  );
}

const before_stock_alerts: Link[] = [
  { id: 'open-stores', label: '门店管理', action: '进入 ›', url: '/pages/setup/stores' },
  { id: 'open-staff', label: '员工管理与邀请', action: '进入 ›', url: '/pages/setup/staff' },
  { id: 'open-products', label: '商品与分类', action: '进入 ›', url: '/pages/setup/products' },
  { id: 'open-categories', label: '分类管理（两级、排序、隐藏）', action: '进入 ›', url: '/pages/setup/categories' },
  { id: 'open-store-prices', label: '门店价格', action: '进入 ›', url: '/pages/setup/store-prices' },
  { id: 'open-price-changes', label: '批量调价', action: '进入 ›', url: '/pages/setup/price-changes' },
  // 经营规则: what the counter prices and rewards with.
  { id: 'open-promotions', label: '经营规则 · 促销活动', action: '进入 ›', url: '/pages/setup/promotions' },
  { id: 'open-coupons', label: '经营规则 · 优惠券', action: '进入 ›', url: '/pages/setup/coupons' },
  { id: 'open-levels', label: '经营规则 · 会员等级', action: '进入 ›', url: '/pages/setup/levels' },
  { id: 'open-points', label: '经营规则 · 积分规则', action: '进入 ›', url: '/pages/setup/points' },
  { id: 'open-limits', label: '经营规则 · 退货、优惠限额与库存预警', action: '进入 ›', url: '/pages/setup/limits' },
  // Member messages (#17, messages stream).
  { id: 'open-messages', label: '经营规则 · 消息模板', action: '进入 ›', url: '/pages/setup/messages' },
  // Stored value (#17).
  { id: 'open-stored-value', label: '经营规则 · 储值方案与退款', action: '进入 ›', url: '/pages/setup/stored-value' },
  // Points mall and referral (#17).
  { id: 'open-gifts', label: '会员营销 · 积分商城礼品', action: '进入 ›', url: '/pages/setup/gifts' },
  { id: 'open-referrals', label: '会员营销 · 老带新邀请', action: '进入 ›', url: '/pages/setup/referrals' },
  { id: 'open-shifts', label: '班次与日结', action: '查看 ›', url: '/pages/boss/shifts/index' },
  { id: 'open-payments-list', label: '收款记录（按日、渠道、订单号）', action: '查看 ›', url: '/pages/boss/payments/list' },
  { id: 'open-payments', label: '收款提醒、退款与门店收款码', action: '查看 ›', url: '/pages/boss/payments/index' },
  { id: 'open-catalog-import', label: '商品导入导出（Excel）', action: '进入 ›', url: '/pages/setup/catalog-import' },
  { id: 'open-payment-setup', label: '收款设置（微信支付 / 支付宝开通）', action: '进入 ›', url: '/pages/boss/payments/setup' },
  { id: 'open-purchasing', label: '采购与应付', action: '进入 ›', url: '/pages/boss/purchasing/index' },
  { id: 'open-health', label: '库存健康度', action: '查看 ›', url: '/pages/boss/health/index' },
  { id: 'open-reports', label: '销售报表', action: '查看 ›', url: '/pages/boss/reports/index' },
  { id: 'open-reconcile', label: '对账', action: '查看 ›', url: '/pages/boss/reconcile/index' },
  { id: 'open-ledger', label: '试算平衡表', action: '查看 ›', url: '/pages/boss/ledger/index' },
];

const after_stock_alerts: Link[] = [
  { id: 'open-credit', label: '商贸客户与应收', action: '查看 ›', url: '/pages/boss/credit/index' },
  { id: 'open-commission', label: '业绩与提成', action: '查看 ›', url: '/pages/boss/commission/index' },
  { id: 'open-split', label: '分账规则与日志', action: '查看 ›', url: '/pages/boss/split/index' },
];

/** The entries to the owner's other pages, below the dashboard; the stock alerts entry carries its own count. */
export function BossLinks() {
  return (
    <>
      {before_stock_alerts.map((l) => (
        <LinkRow key={l.id} {...l} />
      ))}
      <StockAlertsEntry />
      {after_stock_alerts.map((l) => (
        <LinkRow key={l.id} {...l} />
      ))}
    </>
  );
}
