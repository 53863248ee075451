import Taro from '@tarojs/taro';
import type { StoreSummary } from '../../shared/api/identity';
import { resolveScope, scopeKey, type BossScope } from './boss-scope';

const storage_key = 'guitai.boss.scope';

/** The boss pages share one choice of store, kept across launches. */
export function loadScope(stores: readonly StoreSummary[]): BossScope {
  let saved: unknown;
  try {
    saved = Taro.getStorageSync(storage_key);
  } catch {
    saved = undefined;
  }
  return resolveScope(saved, stores);
}

export function saveScope(scope: BossScope): void {
  try {
    Taro.setStorageSync(storage_key, scopeKey(scope));
  } catch {
    // The choice still holds on this screen.
  }
}
