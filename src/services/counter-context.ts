import type { Role } from '../../shared/api/common';
import type { StoreSummary } from '../../shared/api/identity';
import { call } from './api';
import { storageKv } from './outbox-store';
import { getSession } from './session';

/** Who is at the counter and for which store; read from the stored session first, so it works offline. */
export interface CounterProfile {
  staffId: string;
  name: string;
  role: Role;
  merchant: string;
  stores: StoreSummary[];
}

const store_key = 'guitai.counter.store';

export function sessionProfile(): CounterProfile | null {
  const s = getSession('staff');
  if (!s) return null;
  return { staffId: s.staff.id, name: s.staff.name, role: s.staff.role, merchant: s.merchant.name, stores: s.stores };
}

/** The server's view, which wins: a role or store may have changed since sign-in. Null when unreachable. */
export async function freshProfile(): Promise<CounterProfile | null> {
  try {
    const me = await call('me', { quiet: true });
    if (me.kind !== 'staff') return null;
    return { staffId: me.staff.id, name: me.staff.name, role: me.staff.role, merchant: me.merchant.name, stores: me.stores };
  } catch {
    return null;
  }
}

export function currentStore(profile: CounterProfile | null): StoreSummary | null {
  if (!profile) return null;
  const chosen = storageKv.get(store_key);
  return profile.stores.find((s) => s.id === chosen) ?? profile.stores[0] ?? null;
}

export function chooseStore(storeId: string): void {
  storageKv.set(store_key, storeId);
}

export function canDecideReturns(role: Role | undefined): boolean {
  return role === 'owner' || role === 'manager';
}

const shanghai_offset_ms = 8 * 60 * 60 * 1000;

/** Today in Asia/Shanghai (a fixed UTC+8), as the API's business dates are. */
export function shanghaiToday(now: number = Date.now()): string {
  return new Date(now + shanghai_offset_ms).toISOString().slice(0, 10);
}
