/**
 * The payments module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { BillHashMismatch } from './channel.js';
export type { PaymentChannel, RoyaltyReturn, SplitReceiverAccount, SplitState } from './channel.js';
export { channelsFromEnv } from './channels-from-env.js';
export { paymentChannelFor, paymentChannelIfBound } from './merchant-channel.js';
export { bindingOf, type BindingLookup } from './bindings.js';
export { runPaymentJobs } from './jobs.js';
export { dropOldNotificationBodies } from './notification-retention.js';
export { reserveReturnRefunds } from './refunds.repository.js';
export { dispatchRefund } from './refunds.service.js';
export type { PaymentChannels } from './registry.js';
export { applyTrade } from './settle.js';
export { alipayAppAuthFromEnv, type AlipayAppAuth } from './alipay/app-auth.client.js';
export { alipayBinding } from './alipay/binding.js';
export { refreshDueAlipayTokens } from './alipay/app-auth.service.js';
