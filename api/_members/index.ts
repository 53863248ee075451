/**
 * The members module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { maskPhone, memberForPlatformUser, upgradeLevel } from './members.service.js';
export type { LevelRule } from './members.service.js';
export { pointsBalance, postPoints } from './points.repository.js';
