import Taro from '@tarojs/taro';
import { storeCodeFromLaunch, tableFromLaunch } from './launch';

const storage_key = 'guitai.store';
let current: string | null = null;
/** The table of the store QR this run was opened from, with its store: only for this run, since a later visit may sit elsewhere. */
let table: { storeCode: string; tableNo: string } | null = null;

/** The table the shopper scanned in this store, if the QR named one. */
export function currentTableNo(storeCode: string): string | null {
  return table && table.storeCode === storeCode ? table.tableNo : null;
}

/** Takes the store from launch or page parameters, if they name one, and keeps it for later launches. */
export function rememberStoreFrom(query: Readonly<Record<string, unknown>> | undefined | null): void {
  const code = storeCodeFromLaunch(query);
  const tableNo = tableFromLaunch(query);
  if (code && tableNo) table = { storeCode: code, tableNo };
  if (!code || code === current) return;
  current = code;
  try {
    Taro.setStorageSync(storage_key, code);
  } catch {
    // The store still holds for this run.
  }
}

export function currentStoreCode(): string {
  if (current) return current;
  let saved: unknown;
  try {
    saved = Taro.getStorageSync(storage_key);
  } catch {
    saved = undefined;
  }
  current = storeCodeFromLaunch({ store: saved }) ?? process.env.TARO_APP_DEFAULT_STORE;
  return current;
}
