/**
 * The shipping module's face (微信小程序发货信息管理): uploads for WeChat
 * mini-program payments, their trail, and the trade-management pushes.
 * Nothing outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { runShippingJobs, shipSoon, type ShippingJobResult } from './jobs.js';
export { confirmableShipment, shippingTrail } from './shipping.repository.js';
export type { ShippingOutcome } from './tables.js';
