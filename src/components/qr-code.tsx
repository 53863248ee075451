import { View } from '@tarojs/components';
import { useMemo } from 'react';
import { qrMatrix } from '../services/qr-matrix';

/** Modules of white border the scanners need around a QR. */
const quiet_zone_modules = 4;

/**
 * A QR drawn with Views (one per run of equal modules), which renders the
 * same on WeChat, Alipay and H5 without a canvas. `sizePx` is the whole
 * square with its quiet zone, in design pixels (Taro scales them).
 */
export function QrCode(props: { text: string; sizePx: number; id?: string }) {
  const matrix = useMemo(() => qrMatrix(props.text), [props.text]);
  const cells = matrix.size + quiet_zone_modules * 2;
  const cell = Math.max(1, Math.floor(props.sizePx / cells));
  const side = cell * cells;
  return (
    <View id={props.id} data-qr-text={props.text} style={{ width: `${side}px`, height: `${side}px`, padding: `${cell * quiet_zone_modules}px`, background: '#ffffff', boxSizing: 'border-box', margin: '0 auto' }}>
      {matrix.rows.map((runs, r) => (
        <View key={r} style={{ display: 'flex', flexDirection: 'row', height: `${cell}px` }}>
          {runs.map((run, i) => (
            <View key={i} style={{ width: `${run.length * cell}px`, height: `${cell}px`, background: run.dark ? '#000000' : '#ffffff' }} />
          ))}
        </View>
      ))}
    </View>
  );
}
