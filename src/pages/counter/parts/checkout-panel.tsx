import { Button, Input, Text, View } from '@tarojs/components';
import { fenToYuan, formatFen } from '../../../../shared/money';
import { tenderLabels } from '../../../../shared/tender-labels';
import { cashQuickNotes, type Preview } from '../../../services/counter-cart';
import { dueFenOf, type PartMethod, type TenderChoice, type TenderDraft, type TenderMode } from '../../../services/counter-tenders';
import { busyProps } from '../../../services/stock-ops';

interface Props {
  online: boolean;
  hasLines: boolean;
  preview: Preview | null;
  /** The total with 抹零 (any cash in the payment). */
  totalFen: number;
  /** The total without 抹零 (card, e-CNY, WeChat Pay or Alipay alone); null while the bill cannot be priced. */
  platformTotalFen: number | null;
  /** Whether the bill can be charged at all (it is priced). */
  chargeable: boolean;
  tender: TenderDraft;
  onTender: (draft: TenderDraft) => void;
  /** The tenders as the server will check them, or why they cannot be charged yet. */
  choice: TenderChoice | null;
  cash: { busy: boolean; pay: () => void };
  platform: { busy: boolean; pay: () => void };
  onAccount: () => void;
  /** The attached member's stored value (储值, #17); the tender is offered only when there is some. */
  storedValueFen: number;
}

const modes: { mode: TenderMode; label: string }[] = [
  { mode: 'cash', label: tenderLabels.cash ?? '现金' },
  { mode: 'card', label: tenderLabels.card ?? '银行卡' },
  { mode: 'ecny', label: tenderLabels.ecny ?? '数字人民币' },
  { mode: 'split', label: '组合支付' },
];
const partMethods: PartMethod[] = ['card', 'ecny'];

function payLabel(mode: TenderMode, online: boolean, fen: number): string {
  if (!online) return `离线收款 ${formatFen(fen)}`;
  const name = mode === 'split' ? '组合' : (tenderLabels[mode] ?? mode);
  return `${name}收款 ${formatFen(fen)}`;
}

/** The priced total, the tender chooser (cash, card, e-CNY, a card or e-CNY part plus cash), and the other ways to take the money. */
export function CheckoutPanel(props: Props) {
  const { preview, totalFen, platformTotalFen, online, tender, choice } = props;
  const set = (patch: Partial<TenderDraft>) => props.onTender({ ...tender, ...patch });
  const svCovers = tender.mode === 'stored_value' && platformTotalFen !== null && props.storedValueFen >= platformTotalFen;
  const exact = tender.mode === 'card' || tender.mode === 'ecny' || svCovers;
  const dueFen = dueFenOf(tender.mode, totalFen, platformTotalFen, props.storedValueFen);
  const partFen = choice?.ok ? (choice.plan.applied.find((t) => t.method !== 'cash')?.amountFen ?? 0) : 0;
  const cashDueFen = tender.mode === 'split' || tender.mode === 'stored_value' ? Math.max(0, totalFen - (tender.mode === 'stored_value' ? props.storedValueFen : partFen)) : totalFen;
  // Online only: the balance is drawn under a lock on the server, which an offline sale cannot reach.
  const shownModes = props.storedValueFen > 0 && online ? [...modes, { mode: 'stored_value' as const, label: `储值（余额 ${formatFen(props.storedValueFen)}）` }] : modes;
  return (
    <View className='sheet-section' id='preview'>
      {preview && <PreviewRows preview={preview} />}
      <View className='row total-row'>
        <Text className='section-title'>应收</Text>
        <Text id='order-total' className='price total'>
          {formatFen(dueFen)}
        </Text>
      </View>
      <View className='row tender-modes'>
        {shownModes.map((m) => (
          <Text key={m.mode} id={`tender-${m.mode}`} className={`chip${tender.mode === m.mode ? ' chip--on' : ''}`} data-active={tender.mode === m.mode} onClick={() => set({ mode: m.mode })}>
            {m.label}
          </Text>
        ))}
      </View>
      {tender.mode === 'split' && (
        <View>
          <View className='row'>
            {partMethods.map((m) => (
              <Text key={m} id={`split-${m}`} className={`chip${tender.partMethod === m ? ' chip--on' : ''}`} data-active={tender.partMethod === m} onClick={() => set({ partMethod: m })}>
                {tenderLabels[m]}
              </Text>
            ))}
          </View>
          <View className='row'>
            <Text>{tenderLabels[tender.partMethod]}金额</Text>
            <Input id='split-part' className='counter-input cash-input' type='digit' placeholder='0.00' value={tender.partText} onInput={(e) => set({ partText: e.detail.value })} />
          </View>
        </View>
      )}
      {tender.mode !== 'cash' && tender.mode !== 'stored_value' && (
        <View className='row'>
          <Text>{(tender.mode === 'split' ? tender.partMethod : tender.mode) === 'card' ? '刷卡参考号' : '交易编号'}</Text>
          <Input id='tender-reference' className='counter-input' placeholder='终端小票上的参考号' value={tender.reference} onInput={(e) => set({ reference: e.detail.value })} />
        </View>
      )}
      {!exact && <CashRows tender={tender} cashDueFen={cashDueFen} choice={choice} onReceived={(receivedText) => set({ receivedText })} />}
      {choice && !choice.ok && props.chargeable && (
        <View className='muted' id='tender-error'>
          {choice.reason}
        </View>
      )}
      <Button id='checkout' type='primary' {...busyProps(props.cash.busy || !props.chargeable || !choice?.ok)} {...busyProps(props.cash.busy, true)} onClick={props.cash.pay}>
        {payLabel(tender.mode, online, dueFen)}
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

/** Cash handed over (quick notes for the usual sums) and the change; in 组合支付 only what the card or e-CNY leaves. */
function CashRows(props: { tender: TenderDraft; cashDueFen: number; choice: TenderChoice | null; onReceived: (text: string) => void }) {
  const { choice } = props;
  return (
    <View>
      <View className='row'>
        <Text>收现金</Text>
        <Input id='cash-received' className='counter-input cash-input' type='digit' placeholder={formatFen(props.cashDueFen)} value={props.tender.receivedText} onInput={(e) => props.onReceived(e.detail.value)} />
      </View>
      <View className='row cash-notes'>
        {cashQuickNotes(props.cashDueFen).map((n) => (
          <Text key={n} className='chip cash-note' data-fen={n} onClick={() => props.onReceived(fenToYuan(n))}>
            {formatFen(n)}
          </Text>
        ))}
      </View>
      <View className='row'>
        <Text>找零</Text>
        <Text id='change' className='price'>
          {choice?.ok ? formatFen(choice.plan.changeFen ?? 0) : '现金不足'}
        </Text>
      </View>
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
