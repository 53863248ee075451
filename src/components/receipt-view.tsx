import { Text, View } from '@tarojs/components';
import { charWidth, layoutReceipt, previewItems, receipt_columns_58mm } from '../../shared/receipt/layout';
import type { Receipt } from '../../shared/receipt/model';
import { QrCode } from './qr-code';
import './receipt-paper.less';

/** The QR on the preview, in design pixels: about the size a 58 mm printer draws it. */
const receipt_qr_px = 240;

/** A line cut into runs of one-column and two-column characters. */
function runsOf(text: string): { wide: boolean; text: string }[] {
  const runs: { wide: boolean; text: string }[] = [];
  for (const ch of text) {
    const wide = charWidth(ch) === 2;
    const last = runs.at(-1);
    if (last && last.wide === wide) last.text += ch;
    else runs.push({ wide, text: ch });
  }
  return runs;
}

/**
 * The receipt as the 58 mm printer lays it out: 32 columns of monospace
 * text, double-size lines in a font twice as large, and the QR drawn as a
 * QR code rather than its payload. A Chinese glyph is one em wide while a
 * monospace Latin cell is 0.6 em, so runs of two-column characters are
 * drawn 1.2 times larger, 1.2 em each (receipt-paper.less): the columns
 * line up as they do on paper.
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
            {runsOf(item.text).map((run, j) =>
              run.wide ? (
                <Text key={j} className='receipt-wide'>
                  {run.text}
                </Text>
              ) : (
                run.text
              ),
            )}
          </Text>
        ),
      )}
    </View>
  );
}
