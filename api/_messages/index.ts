/**
 * The member messages module's face (订阅消息, #17): queue a message in the
 * caller's transaction, wake the sender after commit, the sweep the jobs
 * run, and the mover a member merge calls. Nothing outside this folder
 * imports a file inside it (tests/architecture/walls.test.ts).
 */
export { queueMemberMessage, type QueueMemberMessage, type QueuedMessage } from './queue.js';
export { messageTime } from './payload.js';
export { runMessageJobs, sendMessage, type MessageJobResult } from './sender.js';
export { sendMessagesSoon } from './wake.js';
export { moveMessagesToMember } from './move.js';
export type { MessageStatus } from './tables.js';
export { couponExpiringData, pickupReadyData, pointsChangedData, storedValueChangedData } from './topic-data.js';
