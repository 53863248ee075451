/**
 * The identity module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { authorizeWith, requireAuth, seesFullPhones, staffOf } from './auth.js';
export { assertStoreOpenForSale, merchantById, openStoreByCode, storeByCode, storesByIds } from './identity.repository.js';
export { platformUserId } from './login.service.js';
export { loginRateLimit } from './rate-limit.js';
export { signSession } from './sessions.js';
export { assertOrderAccess, assertStoreAccess } from './store-access.js';
export { createMerchantRecords, memberPlatformIds, staffIdentityTaken, type PlatformIdentity } from './merchant-records.js';
export { staffSessionFor } from './login.service.js';
