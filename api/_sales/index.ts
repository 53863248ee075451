/**
 * The sales module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { cachedStoreContext, forgetPricingContext } from './checkout.service.js';
export { cancelOpenOrder, completeOpenOrder, finishPaidOrder, settleOrderCtes } from './complete-order.js';
export type { PaidOrder } from './complete-order.js';
export { expireOpenOrders } from './expire-orders.js';
export { createOpenOrder } from './open-order.service.js';
export { recordOrderReturn } from './order-returns.js';
export { orderViewById } from './order-view.js';
export { merchantSellingSettings, sellingSettings } from './settings.js';
export { adoptLateSales, shiftForSale } from './shift-of-sale.js';
export { tenderAccount } from './tender-accounts.js';
// A member's own orders and their move on a merge (#17).
export { memberOrderReceipt, memberOrders, moveOrdersToMember } from './member-orders.js';
