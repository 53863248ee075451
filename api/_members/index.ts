/**
 * The members module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { maskPhone, memberForPlatformUser, upgradeLevel } from './members.service.js';
export type { LevelRule } from './members.service.js';
export { pointsBalance, postPoints } from './points.repository.js';
// One member everywhere and the member centre (#17).
export { mergeMembers, type MemberMover, type MemberMoveInput, type NamedMemberMover } from './merge.js';
export { bindPhone } from './phone-binding.service.js';
export { memberCentre, pointsPage } from './member-centre.service.js';
