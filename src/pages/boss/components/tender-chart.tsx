import { Axis, Chart, Interval, jsx } from '@antv/f2';
import { useMemo } from 'react';
import { formatFen } from '../../../../shared/money';
import { tenderLabel } from '../../../services/tenders';
import { axis_label_style, F2Chart } from './f2-chart';

interface Props {
  byTender: ReadonlyArray<{ tender: string; fen: number }>;
}

// F2's element type does not admit its own generic component classes; the call itself is sound.
const el = jsx as (type: unknown, props: Record<string, unknown>) => unknown;

/** Bars of today's takings per tender; values stay in fen and only the labels become yuan. */
export function TenderChart({ byTender }: Props) {
  const chart = useMemo(() => {
    const data = byTender.map((t) => ({ tender: tenderLabel(t.tender), fen: t.fen }));
    return el(Chart, {
      data,
      children: [
        el(Axis, { field: 'tender', style: axis_label_style }),
        el(Axis, { field: 'fen', formatter: (v: number) => formatFen(Math.round(v)), style: axis_label_style }),
        el(Interval, { x: 'tender', y: 'fen', color: 'tender' }),
      ],
    });
  }, [byTender]);
  return <F2Chart id='tender-chart' heightPx={160} chart={chart} />;
}
