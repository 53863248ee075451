import { Text, View } from '@tarojs/components';
import { layoutReceipt, previewItems, receipt_columns_58mm } from '../../shared/receipt/layout';
import type { Receipt } from '../../shared/receipt/model';
import { QrCode } from './qr-code';
import './receipt-paper.less';

/** The QR on the preview, in design pixels: about the size a 58 mm printer draws it. */
const receipt_qr_px = 240;

/**
 * The receipt as the 58 mm printer lays it out: 32 columns of monospace
 * text, double-size lines in a font twice as large, and the QR drawn as a
 * QR code rather than its payload.
 */
export function ReceiptView({ receipt }: { receipt: Receipt }) {
  const items = previewItems(layoutReceipt(receipt, { columns: receipt_columns_58mm }), receipt_columns_58mm);
  return (
    <View id='receipt' className='receipt-paper'>
      {items.map((item, i) =>
        item.kind === 'qr' ? (
          <View key={i} className='receipt-qr'>
            <QrCode id='receipt-qr' text={item.qr} sizePx={receipt_qr_px} />
          </View>
        ) : (
          <Text key={i} className={`receipt-line${item.double ? ' receipt-line--double' : ''}${item.bold ? ' receipt-line--bold' : ''}`}>
            {item.text}
          </Text>
        ),
      )}
    </View>
  );
}
