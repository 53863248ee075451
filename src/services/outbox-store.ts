import Taro from '@tarojs/taro';
import { call } from './api';
import { ApiError } from './errors';
import { newDeviceId } from './counter-ids';
import { Outbox, syncOutbox, type KeyValue, type SyncReport } from './outbox';

/** Mini-program storage as the outbox's KeyValue: strings in, strings out. */
export const storageKv: KeyValue = {
  get(key) {
    try {
      const value: unknown = Taro.getStorageSync(key);
      return typeof value === 'string' && value !== '' ? value : undefined;
    } catch {
      return undefined;
    }
  },
  set(key, value) {
    Taro.setStorageSync(key, value);
  },
  remove(key) {
    try {
      Taro.removeStorageSync(key);
    } catch {
      // Already gone is what we want.
    }
  },
};

const device_id_key = 'guitai.device.id';

/** Made once and kept: receipt numbers of offline sales are `<deviceId>-<n>`. */
export function deviceId(): string {
  const stored = storageKv.get(device_id_key);
  if (stored && /^GT[0-9A-Z]{8}$/.test(stored)) return stored;
  const id = newDeviceId();
  storageKv.set(device_id_key, id);
  return id;
}

export const outbox = new Outbox(storageKv);

const listeners = new Set<() => void>();

/** Pages that show the outbox re-read it when it changes. */
export function onOutboxChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function outboxChanged(): void {
  for (const l of listeners) l();
}

let running: Promise<SyncReport> | null = null;

/** One sync at a time: the network coming back and a tap on 同步 may ask together. */
export function syncOutboxNow(): Promise<SyncReport> {
  running ??= syncOutbox(
    outbox,
    async (orders) => (await call('syncOrders', { body: { deviceId: deviceId(), orders }, quiet: true })).results,
    {
      existsOnServer: async (orderId) => {
        try {
          await call('order', { params: { orderId }, quiet: true });
          return true;
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) return false;
          throw e;
        }
      },
    },
  ).finally(() => {
    running = null;
    outboxChanged();
  });
  return running;
}
