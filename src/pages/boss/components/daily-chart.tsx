import { Axis, Chart, Interval, jsx } from '@antv/f2';
import { useMemo } from 'react';
import { axisYuan, type DailyPoint } from '../../../services/boss-dashboard';
import { axis_label_style, F2Chart } from './f2-chart';

interface Props {
  points: readonly DailyPoint[];
}

// F2's element type does not admit its own generic component classes; the call itself is sound.
const el = jsx as (type: unknown, props: Record<string, unknown>) => unknown;

/** Seven date labels fit a phone's width; fourteen overlap. */
const daily_axis_ticks_max = 7;

/** An axis for a fortnight without sales still needs a height; ¥100 reads as "nothing yet". */
const empty_axis_max_fen = 10_000;

/** Bars of takings per business day, oldest on the left; days without sales stand at zero. */
export function DailyChart({ points }: Props) {
  const chart = useMemo(
    () =>
      el(Chart, {
        data: points.map((p) => ({ label: p.label, fen: p.fen })),
        scale: {
          label: { tickCount: daily_axis_ticks_max },
          fen: { min: 0, nice: true, ...(points.every((p) => p.fen === 0) ? { max: empty_axis_max_fen } : {}) },
        },
        children: [
          el(Axis, { field: 'label', style: axis_label_style }),
          el(Axis, { field: 'fen', formatter: (v: number) => axisYuan(v), style: axis_label_style }),
          el(Interval, { x: 'label', y: 'fen', color: '#fa2c19' }),
        ],
      }),
    [points],
  );
  return <F2Chart id='daily-chart' heightPx={200} chart={chart} />;
}
