/**
 * The identity module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { authorizeWith, requireAuth, staffOf } from './auth.js';
export { storeByCode } from './identity.repository.js';
export { assertOrderAccess, assertStoreAccess } from './store-access.js';
