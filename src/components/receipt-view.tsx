import { Text, View } from '@tarojs/components';
import { layoutReceipt, receipt_columns_58mm, renderPlainText } from '../../shared/receipt/layout';
import type { Receipt } from '../../shared/receipt/model';
import './receipt-paper.less';

/** The receipt exactly as the 58 mm printer lays it out: 32 columns of monospace text. */
export function ReceiptView({ receipt }: { receipt: Receipt }) {
  const lines = renderPlainText(layoutReceipt(receipt, { columns: receipt_columns_58mm }), receipt_columns_58mm);
  return (
    <View id='receipt' className='receipt-paper'>
      {lines.map((line, i) => (
        <Text key={i} className='receipt-line'>
          {line}
        </Text>
      ))}
    </View>
  );
}
