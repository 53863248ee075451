/**
 * The stored-value module's face (储值, #17): what other modules may use of it.
 * Nothing outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { spendStoredValue, restoreStoredValue, releaseStoredValueOfOrder } from './spend.service.js';
export { moveStoredValueToMember } from './move.js';
export { balanceOf as storedValueBalance } from './movements.repository.js';
export { creditPaidTopUp } from './top-up.service.js';
export { shopTopUp } from './top-up.service.js';
export { storedValueDrawerCash, type DrawerCash } from './drawer-cash.js';
