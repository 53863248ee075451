import { Button, Input, Text, View } from '@tarojs/components';
import { fenToYuan, formatFen } from '../../../../shared/money';
import { cashQuickNotes, type Preview } from '../../../services/counter-cart';
import { busyProps } from '../../../services/stock-ops';

interface Props {
  online: boolean;
  hasLines: boolean;
  /** Why the rules in use may not be the server's latest, or that they were just reloaded. */
  pricingNote: string;
  pricingError: string | null;
  /** What the billing screen says after the payment screen cancelled its open order. */
  cancelNote: string;
  preview: Preview | null;
  totalFen: number;
  /** The total without 抹零, which applies to cash only; null while the bill cannot be priced. */
  platformTotalFen: number | null;
  /** Whether the bill can be charged at all (it is priced). */
  chargeable: boolean;
  receivedText: string;
  onReceived: (text: string) => void;
  /** The change to give, or null when the cash received is short. */
  change: number | null;
  cash: { busy: boolean; pay: () => void };
  platform: { busy: boolean; pay: () => void };
  onAccount: () => void;
}

/** The priced total, the cash received and the change, and the three ways to take the money. */
export function CheckoutPanel(props: Props) {
  const { preview, totalFen, platformTotalFen, change, online } = props;
  return (
    <View className='section' id='preview'>
      {props.pricingNote !== '' && <View className='muted notice' id='pricing-note'>{props.pricingNote}</View>}
      {props.pricingError !== null && <View className='offline-tag' id='pricing-error'>{props.pricingError}</View>}
      {preview && <PreviewRows preview={preview} />}
      <View className='row total-row'>
        <Text className='section-title'>应收</Text>
        <Text id='order-total' className='price total'>
          {formatFen(totalFen)}
        </Text>
      </View>
      <View className='row'>
        <Text>收现金</Text>
        <Input id='cash-received' className='counter-input cash-input' type='digit' placeholder={formatFen(totalFen)} value={props.receivedText} onInput={(e) => props.onReceived(e.detail.value)} />
      </View>
      <View className='row cash-notes'>
        {cashQuickNotes(totalFen).map((n) => (
          <Text key={n} className='chip cash-note' data-fen={n} onClick={() => props.onReceived(fenToYuan(n))}>
            {formatFen(n)}
          </Text>
        ))}
      </View>
      <View className='row'>
        <Text>找零</Text>
        <Text id='change' className='price'>
          {change === null ? '现金不足' : formatFen(change)}
        </Text>
      </View>
      {props.cancelNote !== '' && (
        <View className='notice' id='cancel-note'>
          {props.cancelNote}
        </View>
      )}
      <Button id='checkout' type='primary' {...busyProps(props.cash.busy || !props.chargeable || change === null)} {...busyProps(props.cash.busy, true)} onClick={props.cash.pay}>
        {online ? `现金收款 ${formatFen(totalFen)}` : `离线收款 ${formatFen(totalFen)}`}
      </Button>
      {online && platformTotalFen !== null && platformTotalFen > 0 && (
        <Button id='pay-platform' className='pay-platform' {...busyProps(props.platform.busy || !props.chargeable)} {...busyProps(props.platform.busy, true)} onClick={props.platform.pay}>
          微信 / 支付宝收款 {formatFen(platformTotalFen)}
        </Button>
      )}
      {online && props.hasLines && (
        <Button id='pay-account' className='pay-platform' onClick={props.onAccount}>
          赊账（商贸客户）
        </Button>
      )}
    </View>
  );
}

/** The subtotal and what came off it: line adjustments in one sum (they are listed per line above), order ones each. */
function PreviewRows({ preview }: { preview: Preview }) {
  return (
    <View>
      <View className='row preview-row'>
        <Text>商品合计</Text>
        <Text id='order-subtotal'>{formatFen(preview.subtotalFen)}</Text>
      </View>
      {preview.lines.flatMap((l) => l.rows).length > 0 && (
        <View className='row preview-row'>
          <Text className='muted'>会员价及单品优惠（见上）</Text>
          <Text className='muted'>-{formatFen(preview.lines.reduce((s, l) => s + l.listFen - l.afterLineFen, 0))}</Text>
        </View>
      )}
      {preview.orderRows.map((r) => (
        <View key={r.label} className='row preview-row order-adjustment'>
          <Text>{r.label}</Text>
          <Text>-{formatFen(r.fen)}</Text>
        </View>
      ))}
    </View>
  );
}
