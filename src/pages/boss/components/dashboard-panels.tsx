import { Text, View } from '@tarojs/components';
import type { StoreSummary } from '../../../../shared/api/identity';
import type { ResponseOf } from '../../../../shared/api/routes';
import { formatFen } from '../../../../shared/money';
import { best_sellers_limit, daily_chart_days, shortBeijingTime, type DailyPoint, type TenderBar } from '../../../services/boss-dashboard';
import { DailyChart } from './daily-chart';
import { TenderChart } from './tender-chart';

/*
 * The dashboard's panels. Each shows `waiting` (loading, or nothing came) until its figures arrive,
 * then says in a sentence what will appear once there is none yet.
 */

const tender_chart_bars_min = 2;

/** Today's takings by way of payment (cash, WeChat, Alipay), as a chart and as rows. */
export function TenderPanel({ today, bars, waiting }: { today: ResponseOf<'bossToday'> | null; bars: TenderBar[]; waiting: string }) {
  return (
    <View className='section' id='by-tender'>
      <View className='section-title'>收款方式</View>
      {!today && <View className='muted'>{waiting}</View>}
      {today && bars.length === 0 && <View className='muted empty'>今天还没有收款。收款后这里按现金、微信、支付宝分开显示。</View>}
      {today && bars.length > 0 && (
        <>
          {/* One bar needs no chart; the rows below say it. */}
          {bars.length >= tender_chart_bars_min && <TenderChart byTender={today.byTender} />}
          {bars.map((b) => (
            <View key={b.label} className='tender-row'>
              <View className='row'>
                <Text>{b.label}</Text>
                <Text className='price'>{formatFen(b.fen)}</Text>
              </View>
              <View className='bar-track'>
                <View className='bar-fill' style={{ width: `${b.widthPct}%` }} />
              </View>
            </View>
          ))}
        </>
      )}
    </View>
  );
}

/** Each assistant's takings, orders and average ticket today. */
export function AssistantPanel({ byAssistant, waiting }: { byAssistant: ResponseOf<'bossByAssistant'> | null; waiting: string }) {
  return (
    <View className='section' id='by-assistant'>
      <View className='section-title'>店员业绩（今日）</View>
      {!byAssistant && <View className='muted'>{waiting}</View>}
      {byAssistant?.items.length === 0 && <View className='muted empty'>今天还没有店员开单。开单后这里显示每位店员的实收、单数和客单价。</View>}
      {byAssistant?.items.map((a) => (
        <View key={a.staffId} className='row assistant-row' data-staff-id={a.staffId}>
          <View>
            <View>{a.name}</View>
            <View className='muted'>
              {a.orderCount} 单 · 客单价 {formatFen(a.avgTicketFen)}
            </View>
          </View>
          <Text className='price assistant-takings'>{formatFen(a.takingsFen)}</Text>
        </View>
      ))}
    </View>
  );
}

/** Takings day by day over the chart's days, with their sum. */
export function DailyPanel({ daily, points, waiting }: { daily: ResponseOf<'bossDaily'> | null; points: DailyPoint[]; waiting: string }) {
  return (
    <View className='section' id='daily-section'>
      <View className='section-title'>近 {daily_chart_days} 天实收</View>
      {!daily && <View className='muted'>{waiting}</View>}
      {daily && points.length === 0 && <View className='muted empty'>还没有营业记录。开单后这里画出每天的实收。</View>}
      {daily && points.length > 0 && (
        <>
          <DailyChart points={points} />
          <View className='muted' id='daily-summary'>
            合计 {formatFen(points.reduce((sum, p) => sum + p.fen, 0))} · {points.reduce((sum, p) => sum + p.orderCount, 0)} 单
          </View>
        </>
      )}
    </View>
  );
}

/** Today's best sellers by quantity. */
export function BestSellersPanel({ bestSellers, waiting }: { bestSellers: ResponseOf<'bossBestSellers'> | null; waiting: string }) {
  return (
    <View className='section' id='best-sellers'>
      <View className='section-title'>今日畅销</View>
      {!bestSellers && <View className='muted'>{waiting}</View>}
      {bestSellers?.items.length === 0 && <View className='muted empty'>今天还没有卖出商品。卖出后这里按销量列出前 {best_sellers_limit} 名。</View>}
      {bestSellers?.items.map((b, i) => (
        <View key={b.skuId} className='row best-seller-row' data-sku-id={b.skuId}>
          <View className='row'>
            <Text className='rank'>{i + 1}</Text>
            <View>
              <View>{b.name}</View>
              {b.spec && <View className='muted'>{b.spec}</View>}
            </View>
          </View>
          <View className='best-seller-figures'>
            <View>{b.qty} 件</View>
            <View className='muted'>{formatFen(b.netFen)}</View>
          </View>
        </View>
      ))}
    </View>
  );
}

/** Offline orders that sold more than the stock, to be checked against a stocktake. */
export function FlaggedPanel({ flagged, stores, waiting }: { flagged: ResponseOf<'flaggedOrders'> | null; stores: readonly StoreSummary[]; waiting: string }) {
  return (
    <View className='section' id='flagged-orders'>
      <View className='section-title'>需核对的离线订单{flagged && flagged.items.length > 0 ? `（${flagged.items.length}）` : ''}</View>
      {!flagged && <View className='muted'>{waiting}</View>}
      {flagged?.items.length === 0 && <View className='muted empty'>没有需要核对的订单。断网时卖超库存的订单会出现在这里，请盘点后核对。</View>}
      {flagged?.items.map((f) => (
        <View key={f.orderId} className='row flagged-order-row' data-order-id={f.orderId}>
          <View>
            <View>小票 {f.receiptNo}</View>
            <View className='muted'>
              {f.businessDate} · {shortBeijingTime(f.createdAt)} · {stores.find((s) => s.id === f.storeId)?.name ?? ''}
            </View>
          </View>
          <Text className='price'>{formatFen(f.totalFen)}</Text>
        </View>
      ))}
    </View>
  );
}
