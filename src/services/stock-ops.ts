import type { AlertKind, StocktakeView, TransferStatusName, TransferView } from '../../shared/api/stock-ops';
import { newId } from '../../shared/ids';

export const transfer_status_labels: Record<TransferStatusName, string> = {
  requested: '待发货',
  shipped: '在途',
  received: '已收货',
  received_short: '短少待核销',
  written_off: '已核销',
  cancelled: '已取消',
};

export const alert_kind_labels: Record<AlertKind, string> = {
  below_min: '低于下限',
  above_max: '高于上限',
  no_sale: '滞销',
  near_expiry: '临期',
};

export const alert_kinds: readonly AlertKind[] = ['below_min', 'above_max', 'no_sale', 'near_expiry'];

/** How many SKUs of a long list a phone screen shows before "and N more". */
export const stock_list_shown_max = 30;

/** The step a transfer waits for, and so which quantities the form starts from. */
export type TransferStep = 'ship' | 'receive' | 'write_off' | null;

export function nextStep(t: Pick<TransferView, 'status'>): TransferStep {
  if (t.status === 'requested') return 'ship';
  if (t.status === 'shipped') return 'receive';
  if (t.status === 'received_short') return 'write_off';
  return null;
}

/** Shipping starts from what was asked for, receiving from what was shipped; the manager edits down. */
export function startingQtys(t: TransferView): Record<string, number> {
  const step = nextStep(t);
  return Object.fromEntries(t.lines.map((l) => [l.skuId, step === 'receive' ? (l.shippedQty ?? 0) : l.requestedQty]));
}

/** A typed quantity: digits only, within [0, max]; anything else is null so the form can refuse it. */
export function parseQty(text: string, max: number): number | null {
  if (!/^\d{1,6}$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n <= max ? n : null;
}

export function newScanId(): string {
  return newId('request').replace('req_', 'scan_');
}

export function newTransferId(): string {
  return newId('transfer');
}

export function newStocktakeId(): string {
  return newId('stocktake');
}

/** Counted lines first, largest loss at the top, so the review reads from what matters most. */
export function reviewOrder(lines: StocktakeView['lines']): { counted: StocktakeView['lines']; uncounted: StocktakeView['lines'] } {
  const counted = lines.filter((l) => l.countedQty !== null).sort((a, b) => (a.varianceFen ?? 0) - (b.varianceFen ?? 0));
  return { counted, uncounted: lines.filter((l) => l.countedQty === null) };
}

export function varianceSummary(lines: StocktakeView['lines']): { gainFen: number; lossFen: number; lines: number } {
  let gainFen = 0;
  let lossFen = 0;
  let n = 0;
  for (const l of lines) {
    if (!l.varianceFen) continue;
    n++;
    if (l.varianceFen > 0) gainFen += l.varianceFen;
    else lossFen -= l.varianceFen;
  }
  return { gainFen, lossFen, lines: n };
}

export function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/**
 * Props for a button that is busy or not. The H5 build renders `disabled={false}`
 * and `loading={false}` as attributes, which its styles read as disabled, so a
 * button that is not busy gets no such props at all.
 */
export function busyProps(busy: boolean, withSpinner = false): { disabled?: true; loading?: true } {
  if (!busy) return {};
  return withSpinner ? { disabled: true, loading: true } : { disabled: true };
}
