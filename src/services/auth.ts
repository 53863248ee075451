import type { ShopperSession, StaffSession } from '../../shared/api/identity';
import { call, showError } from './shop-api';
import { ApiError } from './errors';
import { getLoginCode } from './login-code';
import { getSession, saveSession } from './session';

export type StaffSignIn = { kind: 'signed_in'; session: StaffSession } | { kind: 'not_bound' };

/** Exchanges a fresh login code for a staff session; an unbound account asks for an invitation code. */
export async function signInStaff(sandboxUserId?: string): Promise<StaffSignIn> {
  try {
    const { platform, code } = await getLoginCode(sandboxUserId);
    const session = await call('staffLogin', { body: { platform, code }, quiet: true });
    saveSession('staff', session);
    return { kind: 'signed_in', session };
  } catch (error) {
    if (error instanceof ApiError && error.status === 403 && error.code === 'not_bound') return { kind: 'not_bound' };
    showError(error);
    throw error;
  }
}

/** Binds this account to the staff record the invitation names; login codes are one-time, so a fresh one is taken. */
export async function bindStaff(inviteCode: string, sandboxUserId?: string): Promise<StaffSession> {
  try {
    const { platform, code } = await getLoginCode(sandboxUserId);
    const session = await call('staffBind', { body: { platform, code, inviteCode }, quiet: true });
    saveSession('staff', session);
    return session;
  } catch (error) {
    showError(error);
    throw error;
  }
}

let shopperSignIn: Promise<ShopperSession | null> | null = null;

/**
 * Signs the shopper in without asking, once per store. Browsing works without
 * it (the catalogue is public), so a failure yields null instead of an error screen.
 */
export function ensureShopper(storeCode: string): Promise<ShopperSession | null> {
  const existing = getSession('shopper');
  if (existing && existing.store.code === storeCode) return Promise.resolve(existing);
  shopperSignIn ??= (async () => {
    try {
      const { platform, code } = await getLoginCode();
      const session = await call('shopperLogin', { body: { platform, code, storeCode }, quiet: true });
      saveSession('shopper', session);
      return session;
    } catch {
      return null;
    } finally {
      shopperSignIn = null;
    }
  })();
  return shopperSignIn;
}
