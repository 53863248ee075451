import { Axis, Chart, Interval, jsx } from '@antv/f2';
import { useMemo } from 'react';
import type { ReportTable } from '../../../../shared/api/reports';
import { axisYuan } from '../../../services/boss-dashboard';
import { axis_label_style, F2Chart } from '../components/f2-chart';

interface Props {
  trend: ReportTable;
}

// F2's element type does not admit its own generic component classes; the call itself is sound.
const el = jsx as (type: unknown, props: Record<string, unknown>) => unknown;

/** Seven labels fit a phone's width. */
const trend_axis_ticks_max = 7;
/** A period without sales still needs an axis; ¥100 reads as "nothing yet". */
const empty_axis_max_fen = 10_000;

/** Net sales per day, week or month of the period, oldest on the left; values stay fen, only the labels are yuan. */
export function TrendChart({ trend }: Props) {
  const chart = useMemo(() => {
    const data = trend.rows.map((r) => ({ label: String(r.period).slice(trend.granularity === 'month' ? 0 : 5), fen: Number(r.netSalesFen) }));
    return el(Chart, {
      data,
      scale: {
        label: { tickCount: trend_axis_ticks_max },
        fen: { nice: true, ...(data.every((d) => d.fen === 0) ? { min: 0, max: empty_axis_max_fen } : {}) },
      },
      children: [el(Axis, { field: 'label', style: axis_label_style }), el(Axis, { field: 'fen', formatter: (v: number) => axisYuan(v), style: axis_label_style }), el(Interval, { x: 'label', y: 'fen', color: '#fa2c19' })],
    });
  }, [trend]);
  return <F2Chart id='trend-chart' heightPx={200} chart={chart} />;
}
