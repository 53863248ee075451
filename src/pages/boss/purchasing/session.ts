import Taro from '@tarojs/taro';
import type { StaffSession } from '../../../../shared/api/identity';
import { sign_in_page } from '../../../services/api';
import { loadScope } from '../../../services/boss-scope-store';
import { getSession } from '../../../services/session';

/** The signed-in staff member, or a trip to sign-in that comes back to `path`. */
export function staffOrSignIn(path: string): StaffSession | null {
  const staff = getSession('staff');
  if (!staff) void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent(path)}` });
  return staff;
}

/** The store chosen on the boss dashboard, or the first store when it shows all of them: ordering and reordering are per store. */
export function chosenStore(staff: StaffSession): string | null {
  const scope = loadScope(staff.stores);
  return scope.kind === 'store' ? scope.storeId : (staff.stores[0]?.id ?? null);
}

export const purchasing_pages = {
  home: '/pages/boss/purchasing/index',
  order: '/pages/boss/purchasing/order',
  newOrder: '/pages/boss/purchasing/new-order',
  suppliers: '/pages/boss/purchasing/suppliers',
  payables: '/pages/boss/purchasing/payables',
  statement: '/pages/boss/purchasing/statement',
  reorder: '/pages/boss/purchasing/reorder',
} as const;
