import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { call, sign_in_page } from '../../services/api';
import { currentStore, freshProfile, sessionProfile, type CounterProfile } from '../../services/counter-context';
import { isOnline, markOnline, onNetworkChange, watchNetwork } from '../../services/counter-network';
import { onOutboxChange, outbox, syncOutboxNow } from '../../services/outbox-store';

/** The signed-in staff member and store; sends to sign-in when there is no session. */
export function useCounterProfile(here: string) {
  const [profile, setProfile] = useState<CounterProfile | null>(() => sessionProfile());
  const [storeVersion, setStoreVersion] = useState(0);
  useDidShow(() => {
    const fromSession = sessionProfile();
    if (!fromSession) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent(here)}` });
      return;
    }
    setProfile(fromSession);
    void freshProfile().then((p) => {
      if (p) setProfile(p);
    });
  });
  const store = currentStore(profile);
  return { profile, store, storeChanged: () => setStoreVersion(storeVersion + 1) };
}

/** Online state; when the network comes back, pending offline sales sync. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(isOnline());
  useEffect(() => {
    watchNetwork();
    const off = onNetworkChange((next) => {
      setOnline(next);
      if (next && outbox.pending().length > 0) void syncOutboxNow().catch(() => undefined);
    });
    return () => {
      off();
    };
  }, []);
  return online;
}

/** Pending and rejected counts, re-read when the outbox changes. */
export function useOutboxCounts(): { pending: number; rejected: number } {
  const read = () => {
    const all = outbox.list();
    return { pending: all.filter((e) => e.status === 'pending').length, rejected: all.filter((e) => e.status === 'rejected').length };
  };
  const [counts, setCounts] = useState(read);
  useDidShow(() => setCounts(read()));
  useEffect(() => {
    const off = onOutboxChange(() => setCounts(read()));
    return () => {
      off();
    };
  }, []);
  return counts;
}

/** A successful request proves the network is back (the platform event can lag or never come on H5). */
export function noteOnline(): void {
  markOnline();
}

/** How often the counter asks how many paid shop orders wait for handover: soon enough for a shopper walking to the counter. */
export const pickup_poll_interval_ms = 15_000;

/** The number of paid shop orders of the store waiting for handover, polled while the screen is shown and online. */
export function usePickupCount(storeId: string, online: boolean): number | null {
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    if (!storeId || !online) return;
    let stopped = false;
    const poll = () =>
      call('pickups', { params: { storeId }, quiet: true })
        .then((r) => {
          if (!stopped) setCount(r.count);
        })
        .catch(() => undefined);
    void poll();
    const timer = setInterval(() => void poll(), pickup_poll_interval_ms);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [storeId, online]);
  return count;
}
