import Taro from '@tarojs/taro';

/**
 * Whether the counter believes it is online. The platform's network status is
 * one source; a request that failed for network reasons is the other (a shop's
 * Wi-Fi can be "connected" with no way out).
 */
let online = true;
let watching = false;
const listeners = new Set<(online: boolean) => void>();

function set(next: boolean): void {
  if (next === online) return;
  online = next;
  for (const l of listeners) l(online);
}

export function isOnline(): boolean {
  return online;
}

export function markOffline(): void {
  set(false);
}

export function markOnline(): void {
  set(true);
}

export function onNetworkChange(listener: (online: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function watchNetwork(): void {
  if (watching) return;
  watching = true;
  Taro.getNetworkType()
    .then((r) => set(r.networkType !== 'none'))
    .catch(() => undefined);
  try {
    Taro.onNetworkStatusChange((r) => set(r.isConnected));
  } catch {
    // Some H5 browsers cannot report it; failed requests still switch the counter over.
  }
}
