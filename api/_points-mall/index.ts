/**
 * The points mall's face (积分商城): what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { movePointsMallToMember } from './member-merge.js';
export { giftDrawerCash } from './drawer-cash.js';
