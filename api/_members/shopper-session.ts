import type { Deps } from '../_kernel/deps.js';
import type { Platform } from '../../shared/api/common.js';
import type { ShopperSession } from '../../shared/api/identity.js';
import { platformUserId, signSession, openStoreByCode } from '../_identity/index.js';
import { memberForPlatformUser } from './members.service.js';
import { pointsBalance } from './points.repository.js';

/** Shoppers become members of the store's merchant on their first visit; later visits find the same member. */
export async function shopperLogin(deps: Deps, input: { platform: Platform; code: string; storeCode: string }): Promise<ShopperSession> {
  const store = await openStoreByCode(deps.db, input.storeCode);
  const userId = await platformUserId(deps, input.platform, input.code);
  const member = await memberForPlatformUser(deps.db, store.merchant_id, input.platform, userId, deps.clock());
  const { token, expiresAt } = await signSession(
    deps.config.sessionSecret,
    { kind: 'member', subject: member.id, merchantId: store.merchant_id },
    deps.clock(),
    deps.config.memberSessionTtlSeconds,
  );
  return {
    token,
    expiresAt,
    member: { id: member.id, name: member.name, level: member.level, points: await pointsBalance(deps.db, member.id) },
    merchant: { id: store.merchant_id, name: store.merchant_name },
    store: { id: store.id, code: store.code, name: store.name, address: store.address },
  };
}
