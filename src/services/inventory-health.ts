import type { HealthView } from '../../shared/api/inventory-health';
import type { StoreSummary } from '../../shared/api/identity';
import type { BossScope } from './boss-scope';

/** Labels and formats for the inventory health screen. No Taro here. */

export const componentLabels = { turnover: '周转', sellThrough: '售罄率', slowMoving: '滞销', stockout: '缺货' } as const;
export type ComponentKey = keyof typeof componentLabels;
export const component_keys = Object.keys(componentLabels) as ComponentKey[];

export const health_periods_days = [30, 90] as const;

/** The health report is per store: the dashboard's store, or the first one when it shows all stores. */
export function healthStore(scope: BossScope, stores: readonly StoreSummary[]): StoreSummary | null {
  if (scope.kind === 'store') return stores.find((s) => s.id === scope.storeId) ?? stores[0] ?? null;
  return stores[0] ?? null;
}

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`;
}

/** Days of inventory: -1 stands for "stock but no sale" in the API's JSON. */
export function doiText(doi: number | null): string {
  if (doi === null) return '—';
  if (doi < 0) return '无销售';
  return `${Math.round(doi)} 天`;
}

export function turnoverText(t: number | null): string {
  return t === null ? '—' : `${Math.round(t * 100) / 100} 次`;
}

/** good ≥ 80, fair ≥ 60, poor below; a missing score is neutral. */
export function scoreTone(score: number | null): 'good' | 'fair' | 'poor' | 'none' {
  if (score === null) return 'none';
  return score >= 80 ? 'good' : score >= 60 ? 'fair' : 'poor';
}

/** The four figures under the score, in the screen's order. */
export function figureRows(h: HealthView): { key: ComponentKey; label: string; value: string; score: number | null }[] {
  return [
    { key: 'turnover', label: `周转率（周转天数 ${doiText(h.figures.daysOfInventory)}）`, value: turnoverText(h.figures.turnover), score: h.components.turnover },
    { key: 'sellThrough', label: '售罄率', value: percent(h.figures.sellThrough), score: h.components.sellThrough },
    { key: 'slowMoving', label: '滞销占比（按成本）', value: percent(h.figures.slowMovingRate), score: h.components.slowMoving },
    { key: 'stockout', label: '缺货率（SKU·天）', value: percent(h.figures.stockoutRate), score: h.components.stockout },
  ];
}
