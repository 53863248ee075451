import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { sign_in_page } from '../../services/api';
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
