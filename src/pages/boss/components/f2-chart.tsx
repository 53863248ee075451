import { Canvas as F2Canvas } from '@antv/f2';
import { Canvas } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useRef } from 'react';

/**
 * Axis labels large enough to read (about 11 CSS px on a phone). F2's theme
 * gives '20px', which came out about 4 CSS px on H5; a bare number is drawn
 * close to CSS px there (27 measured about 24 px in the tour's screenshot), so
 * H5 asks for 12. The mini-programs keep F2's own size, not seen too small there.
 */
export const axis_label_style: { label?: { fontSize: number } } = process.env.TARO_ENV === 'h5' ? { label: { fontSize: 12 } } : {};

interface Props {
  id: string;
  heightPx: number;
  /** An F2 element tree, built with `jsx` from `@antv/f2`. */
  chart: unknown;
}

interface CanvasNode {
  width: number;
  height: number;
  getContext(kind: '2d'): CanvasRenderingContext2D;
  requestAnimationFrame?: (cb: () => void) => number;
}

/** Draws an F2 chart on a Taro 2d canvas: the canvas node is found by id once mounted, then updated in place. */
export function F2Chart({ id, heightPx, chart }: Props) {
  const f2 = useRef<F2Canvas | null>(null);

  useEffect(() => {
    if (f2.current) {
      void f2.current.update({ children: chart });
      return;
    }
    let cancelled = false;
    Taro.nextTick(() => {
      Taro.createSelectorQuery()
        .select(`#${id}`)
        .fields({ node: true, size: true })
        .exec((res: Array<{ node?: CanvasNode; width: number; height: number } | null>) => {
          const found = res[0];
          if (cancelled || !found?.node) return;
          const dpr = Taro.getSystemInfoSync().pixelRatio;
          found.node.width = found.width * dpr;
          found.node.height = found.height * dpr;
          const canvas = new F2Canvas({
            context: found.node.getContext('2d'),
            pixelRatio: dpr,
            width: found.width,
            height: found.height,
            animate: false,
            children: chart,
            ...(found.node.requestAnimationFrame ? { requestAnimationFrame: found.node.requestAnimationFrame.bind(found.node) } : {}),
          });
          void canvas.render();
          f2.current = canvas;
        });
    });
    return () => {
      cancelled = true;
    };
  }, [id, chart]);

  useEffect(() => () => f2.current?.destroy(), []);

  return <Canvas type='2d' id={id} style={{ width: '100%', height: `${heightPx}px` }} />;
}
