import { busyProps } from '../../../services/stock-ops';
import { Button, Text, View } from '@tarojs/components';
import { formatFen } from '../../../../shared/money';
import { formatShanghaiTime } from '../../../../shared/receipt/layout';
import type { ShiftView } from '../../../../shared/api/shifts';
import { varianceWords } from '../../../services/shift';

const status_labels: Record<ShiftView['status'], string> = { open: '未交班', closed: '待确认', confirmed: '已确认' };

/** One shift for the manager: who, when, the drawer's figures, and 确认 once it is counted. */
export function ShiftCard({ shift, busy, onConfirm }: { shift: ShiftView; busy: boolean; onConfirm: (s: ShiftView) => void }) {
  const span = `${formatShanghaiTime(shift.openedAt).slice(11, 16)}–${shift.closedAt ? formatShanghaiTime(shift.closedAt).slice(11, 16) : ''}`;
  return (
    <View className='list-item shift-card' data-shift-id={shift.id}>
      <View className='row'>
        <Text className='section-title'>
          {shift.openedBy.name} · {span}
        </Text>
        <Text className={shift.status === 'closed' || shift.overdue ? 'offline-tag' : 'muted'}>{shift.overdue ? '已过打烊仍未交班' : status_labels[shift.status]}</Text>
      </View>
      <View className='row preview-row'>
        <Text>应有现金</Text>
        <Text>{formatFen(shift.cash.expectedFen)}</Text>
      </View>
      {shift.countedFen !== null && (
        <View className='row preview-row'>
          <Text>实点现金</Text>
          <Text>{formatFen(shift.countedFen)}</Text>
        </View>
      )}
      {shift.varianceFen !== null && (
        <View className='row preview-row'>
          <Text>差额</Text>
          <Text className={shift.varianceFen === 0 ? '' : 'offline-tag'} data-variance={shift.varianceFen}>
            {varianceWords(shift.varianceFen, formatFen)}
          </Text>
        </View>
      )}
      <View className='muted'>
        {shift.orderCount} 笔销售 · 备用金 {formatFen(shift.openingFloatFen)}
        {shift.moves.length > 0 ? ` · 现金存取 ${shift.moves.length} 笔` : ''}
        {shift.lateOrderCount > 0 ? ` · 补传离线单 ${shift.lateOrderCount} 笔` : ''}
        {shift.closeNote ? ` · 备注：${shift.closeNote}` : ''}
      </View>
      {shift.status === 'closed' && (
        <Button className='confirm-shift' type='primary' size='mini' {...busyProps(busy)} onClick={() => onConfirm(shift)}>
          确认本班
        </Button>
      )}
      {shift.confirmedBy && <View className='muted'>{shift.confirmedBy.name} 已确认</View>}
    </View>
  );
}
