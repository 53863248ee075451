import { z } from 'zod';
import { handoverRequest, handoverResponse, pickupsResponse, publicReceiptResponse } from './pickup.js';
import { pickupReadyRequest, pickupReadyResponse } from './pickup.js';
import type { RouteDef } from './route-def.js';
import { shopRoutes } from './shop-routes.js';
import { billDownloadRequest, billDownloadResponse, billDownloadsResponse, reconcileItemView, reconcileItemsResponse, reconcileReport, reconcileRunRequest, reconcileRunView, reconcileRunsResponse, resolveExceptionRequest } from './reconcile.js';
import { productPage, barcodeLookupResponse, productSummary, productPhoto } from './catalog.js';
import { healthResponse } from './health.js';
import { createInviteRequest, inviteResponse, staffListResponse, staffSession, storesResponse } from './identity.js';
import { reportTable, todayResponse } from './reports.js';
import { checkoutRequest, checkoutResponse, orderView, ordersListResponse } from './orders.js';
import { createMemberRequest, memberLookupResponse } from './members.js';
import * as members from './members.js';
import { returnDecisionRequest, returnLimitsRequest, returnLimitsResponse, returnRequest, returnResponse, returnsListResponse } from './returns.js';
import { syncRequest, syncResponse } from './sync.js';
import { bestSellersResponse, byAssistantResponse, dailyResponse, flaggedOrdersResponse } from './boss.js';
import { receiptModel } from '../receipt/model.js';
import { addSkusRequest, productDetail, updateProductRequest, adminCategoriesResponse, adminCategory, createCategoryRequest, createProductRequest, reorderCategoriesRequest, updateCategoryRequest, updateSkuRequest } from './products.js';
import { catalogImportResponse } from './catalog-import.js';
import { priceChangeRequest, priceChangeResponse, storePriceDeleted, storePriceRequest, storePriceView, storePricesResponse } from './store-prices.js';
import { inventoryHealthResponse } from './inventory-health.js';
import { createReservationRequest, reservationResponse, reservationsResponse, shopReservationRequest } from './reservations.js';
import { promotionRequest, promotionsResponse, sellingSettingsRequest, sellingSettingsResponse, storeSettingsRequest } from './promotions.js';
import { journalEntryPage, trialBalanceResponse } from './ledger.js';
import { orderCancelRequest, orderCancelResponse } from './payments.js';
import { alertsResponse, counterPaymentRequest, paymentResponse, paymentsListResponse, paymentTrailResponse, paymentView, refundToCashRequest, refundView, refundsResponse } from './payments.js';
import { storeLinksResponse } from './store-links.js';
import { checklistResponse, setupMarkRequest, signUpRequest } from './onboarding.js';
import { createStoreRequest, manageStoresResponse, openInvitesResponse, staffMemberResponse, storeResponse, updateStaffRequest, updateStoreRequest } from './staff-admin.js';
import { alipayAuthorizeResponse } from './alipay-auth.js';
import { splitLogResponse, splitRuleRequest, splitRuleResponse, splitRulesResponse } from './split.js';
import { paymentAccountsResponse, wechatSubMerchantRequest } from './payment-accounts.js';
import { agingResponse, createPurchaseOrderRequest, createSupplierRequest, payablesResponse, purchaseOrderResponse, purchaseOrdersResponse, purchaseReceiptResponse, purchaseReturnRequest, purchaseReturnResponse, purchasesReportResponse, receiveRequest, reorderResponse, statementResponse as supplierStatementResponse, supplierPaymentRequest, supplierPaymentResponse, supplierResponse, suppliersResponse, updateSupplierRequest } from './purchasing.js';
import * as stockOps from './stock-ops.js';
import * as shifts from './shifts.js';
import * as discounts from './discounts.js';
import { jobFailuresResponse, merchantJobsResponse } from './jobs.js';
import { commissionRuleRequest, commissionRulesResponse, commissionStatementsResponse, confirmStatementRequest, confirmStatementResponse, performanceResponse } from './commission.js';
// Member messages (#17, messages stream).
import { consentReportRequest, consentReportResponse, memberSubscriptionsResponse, messageTemplateRequest, messageTemplateView, messageTemplatesResponse } from './messages.js';
// Coupons (#17).
import * as coupons from './coupons.js';
// Stored value (#17).
import * as storedValue from './stored-value.js';
// Points mall and referral (#17).
import * as mall from './points-mall.js';
import * as referral from './referrals.js';
import { creditApprovalRequest, creditApprovalResponse, invoicesResponse, overdueResponse, receiptRequest, receiptResponse, statementResponse, tradeCustomerRequest, tradeCustomerResponse, tradeCustomersResponse } from './credit.js';

/**
 * The API's routes as data: both the client's request layer and the server's
 * tests read this table, so a path or schema cannot drift between them.
 * Path parameters are written `:name`; query strings go in `query`. The
 * routes the shop's pages call are defined in `shop-routes.ts`, so the
 * mini-program's main package can carry their schemas without everyone else's.
 */
export type { RouteDef } from './route-def.js';

export const routes = {
  health: { method: 'GET', path: '/api/health', response: healthResponse, auth: 'public' },
  publicStore: shopRoutes.publicStore,
  publicCategories: shopRoutes.publicCategories,
  publicProducts: shopRoutes.publicProducts,
  publicProduct: shopRoutes.publicProduct,
  staffLogin: shopRoutes.staffLogin,
  staffBind: shopRoutes.staffBind,
  shopperLogin: shopRoutes.shopperLogin,
  me: shopRoutes.me,
  stores: { method: 'GET', path: '/api/stores', response: storesResponse, auth: 'staff' },
  staffList: { method: 'GET', path: '/api/staff', response: staffListResponse, auth: ['owner', 'manager'] },
  createInvite: { method: 'POST', path: '/api/staff/invites', body: createInviteRequest, response: inviteResponse, auth: ['owner'] },
  openInvites: { method: 'GET', path: '/api/staff/invites', response: openInvitesResponse, auth: ['owner'] },
  revokeInvite: { method: 'DELETE', path: '/api/staff/invites/:code', response: z.object({ ok: z.boolean() }), auth: ['owner'] },
  updateStaff: { method: 'PATCH', path: '/api/staff/:staffId', body: updateStaffRequest, response: staffMemberResponse, auth: ['owner'] },
  manageStores: { method: 'GET', path: '/api/merchant/stores', response: manageStoresResponse, auth: ['owner', 'manager'] },
  createStore: { method: 'POST', path: '/api/merchant/stores', body: createStoreRequest, response: storeResponse, auth: ['owner'] },
  updateStore: { method: 'PATCH', path: '/api/merchant/stores/:storeId', body: updateStoreRequest, response: storeResponse, auth: ['owner'] },
  signUp: { method: 'POST', path: '/api/merchants', body: signUpRequest, response: staffSession, auth: 'member' },
  setupChecklist: { method: 'GET', path: '/api/merchant/setup-checklist', response: checklistResponse, auth: ['owner'] },
  markSetupStep: { method: 'POST', path: '/api/merchant/setup-marks', body: setupMarkRequest, response: z.object({ ok: z.boolean() }), auth: ['owner'] },
  storeProducts: { method: 'GET', path: '/api/stores/:storeId/products', response: productPage, auth: 'staff' },
  stoppedProducts: { method: 'GET', path: '/api/stores/:storeId/stopped-products', response: productPage, auth: ['owner'] },
  barcodeLookup: { method: 'GET', path: '/api/stores/:storeId/barcodes/:barcode', response: barcodeLookupResponse, auth: 'staff' },
  bossToday: { method: 'GET', path: '/api/boss/today', response: todayResponse, auth: ['owner', 'manager'] },
  trialBalance: { method: 'GET', path: '/api/ledger/trial-balance', response: trialBalanceResponse, auth: ['owner', 'manager'] },
  ledgerEntries: { method: 'GET', path: '/api/ledger/entries', response: journalEntryPage, auth: ['owner', 'manager'] },
  pricingContext: shopRoutes.pricingContext,
  orders: { method: 'GET', path: '/api/orders', response: ordersListResponse, auth: 'staff' },
  checkout: { method: 'POST', path: '/api/orders', body: checkoutRequest, response: checkoutResponse, auth: 'staff' },
  order: { method: 'GET', path: '/api/orders/:orderId', response: z.object({ order: orderView }), auth: 'staff' },
  receipt: { method: 'GET', path: '/api/orders/:orderId/receipt', response: z.object({ receipt: receiptModel }), auth: 'staff' },
  pickups: { method: 'GET', path: '/api/stores/:storeId/pickups', response: pickupsResponse, auth: 'staff' },
  handOver: { method: 'POST', path: '/api/stores/:storeId/pickups/handover', body: handoverRequest, response: handoverResponse, auth: 'staff' },
  // Member messages (#17, messages stream).
  pickupReady: { method: 'POST', path: '/api/stores/:storeId/pickups/ready', body: pickupReadyRequest, response: pickupReadyResponse, auth: 'staff' },
  publicReceipt: { method: 'GET', path: '/api/public/receipts/:token', response: publicReceiptResponse, auth: 'public' },
  receiptEscpos: { method: 'GET', path: '/api/orders/:orderId/receipt.escpos', response: z.object({ base64: z.string() }), auth: 'staff' },
  memberLookup: { method: 'GET', path: '/api/members/lookup', response: memberLookupResponse, auth: 'staff' },
  createMember: { method: 'POST', path: '/api/members', body: createMemberRequest, response: memberLookupResponse, auth: 'staff' },
  createReturn: { method: 'POST', path: '/api/returns', body: returnRequest, response: returnResponse, auth: 'staff' },
  returns: { method: 'GET', path: '/api/returns', response: returnsListResponse, auth: 'staff' },
  approveReturn: { method: 'POST', path: '/api/returns/:returnId/approve', body: returnDecisionRequest, response: returnResponse, auth: ['owner', 'manager'] },
  rejectReturn: { method: 'POST', path: '/api/returns/:returnId/reject', body: returnDecisionRequest, response: returnResponse, auth: ['owner', 'manager'] },
  returnLimits: { method: 'GET', path: '/api/settings/return-limits', response: returnLimitsResponse, auth: ['owner', 'manager'] },
  setReturnLimits: { method: 'PUT', path: '/api/settings/return-limits', body: returnLimitsRequest, response: returnLimitsResponse, auth: ['owner'] },
  syncOrders: { method: 'POST', path: '/api/sync/orders', body: syncRequest, response: syncResponse, auth: 'staff' },
  bossByAssistant: { method: 'GET', path: '/api/boss/today/by-assistant', response: byAssistantResponse, auth: ['owner', 'manager'] },
  bossDaily: { method: 'GET', path: '/api/boss/daily', response: dailyResponse, auth: ['owner', 'manager'] },
  bossBestSellers: { method: 'GET', path: '/api/boss/best-sellers', response: bestSellersResponse, auth: ['owner', 'manager'] },
  flaggedOrders: { method: 'GET', path: '/api/boss/flagged-orders', response: flaggedOrdersResponse, auth: ['owner', 'manager'] },
  createReservation: { method: 'POST', path: '/api/reservations', body: createReservationRequest, response: reservationResponse, auth: 'staff' },
  reservations: { method: 'GET', path: '/api/reservations', response: reservationsResponse, auth: 'staff' },
  cancelReservation: { method: 'POST', path: '/api/reservations/:reservationId/cancel', response: reservationResponse, auth: 'staff' },
  shopCreateReservation: { method: 'POST', path: '/api/shop/reservations', body: shopReservationRequest, response: reservationResponse, auth: 'member' },
  shopReservations: { method: 'GET', path: '/api/shop/reservations', response: reservationsResponse, auth: 'member' },
  shopCancelReservation: { method: 'POST', path: '/api/shop/reservations/:reservationId/cancel', response: reservationResponse, auth: 'member' },
  inventoryHealth: { method: 'GET', path: '/api/boss/inventory-health', response: inventoryHealthResponse, auth: ['owner', 'manager'] },
  salesReport: { method: 'GET', path: '/api/reports/sales/:report', response: reportTable, auth: ['owner', 'manager'] },
  merchantExport: { method: 'GET', path: '/api/exports/merchant', response: z.unknown(), auth: ['owner'] },
  promotions: { method: 'GET', path: '/api/promotions', response: promotionsResponse, auth: ['owner', 'manager'] },
  createPromotion: { method: 'POST', path: '/api/promotions', body: promotionRequest, response: z.object({ id: z.string() }), auth: ['owner', 'manager'] },
  deactivatePromotion: { method: 'POST', path: '/api/promotions/:id/deactivate', response: z.object({ id: z.string(), active: z.boolean() }), auth: ['owner', 'manager'] },
  getSellingSettings: { method: 'GET', path: '/api/settings/selling', response: sellingSettingsResponse, auth: ['owner', 'manager'] },
  sellingSettings: { method: 'PUT', path: '/api/settings/selling', body: sellingSettingsRequest, response: z.object({ ok: z.boolean() }), auth: ['owner'] },
  storeSettings: { method: 'PUT', path: '/api/stores/:storeId/settings', body: storeSettingsRequest, response: z.object({ ok: z.boolean() }), auth: ['owner'] },
  createCategory: { method: 'POST', path: '/api/categories', body: createCategoryRequest, response: z.object({ id: z.string(), name: z.string(), sort: z.number() }), auth: ['owner', 'manager'] },
  categories: { method: 'GET', path: '/api/categories', response: adminCategoriesResponse, auth: ['owner', 'manager'] },
  updateCategory: { method: 'PATCH', path: '/api/categories/:categoryId', body: updateCategoryRequest, response: z.object({ category: adminCategory }), auth: ['owner'] },
  reorderCategories: { method: 'PUT', path: '/api/categories/order', body: reorderCategoriesRequest, response: adminCategoriesResponse, auth: ['owner'] },
  createProduct: { method: 'POST', path: '/api/products', body: createProductRequest, response: z.object({ productId: z.string(), product: productSummary.nullable() }), auth: ['owner', 'manager'] },
  product: { method: 'GET', path: '/api/products/:productId', response: productDetail, auth: ['owner', 'manager'] },
  updateProduct: { method: 'PATCH', path: '/api/products/:productId', body: updateProductRequest, response: productDetail, auth: ['owner'] },
  addSkus: { method: 'POST', path: '/api/products/:productId/skus', body: addSkusRequest, response: productDetail, auth: ['owner'] },
  catalogTemplate: { method: 'GET', path: '/api/catalog/template', response: z.unknown(), auth: ['owner'] },
  catalogExport: { method: 'GET', path: '/api/catalog/export', response: z.unknown(), auth: ['owner'] },
  catalogImport: { method: 'POST', path: '/api/catalog/imports', response: catalogImportResponse, auth: ['owner'] },
  // The photo is the raw body (JPEG, PNG or WebP, at most product_photo_bytes_max), not JSON.
  addProductPhoto: { method: 'POST', path: '/api/products/:productId/photos', response: z.object({ photo: productPhoto, photos: z.array(productPhoto) }), auth: ['owner', 'manager'] },
  deleteProductPhoto: { method: 'DELETE', path: '/api/products/:productId/photos/:photoId', response: z.object({ photos: z.array(productPhoto) }), auth: ['owner', 'manager'] },
  // The disk photo store's files (dev and tests); a deployment's photos are Vercel Blob URLs.
  photoFile: { method: 'GET', path: '/api/photos/:file', response: z.unknown(), auth: 'public' },
  updateSku: { method: 'PATCH', path: '/api/skus/:skuId', body: updateSkuRequest, response: z.object({ sku: z.object({ id: z.string(), barcode: z.string(), retailPriceFen: z.number(), memberPriceFen: z.number(), costFen: z.number(), active: z.boolean() }) }), auth: ['owner'] },
  storePrices: { method: 'GET', path: '/api/stores/:storeId/prices', response: storePricesResponse, auth: ['owner', 'manager'] },
  setStorePrice: { method: 'PUT', path: '/api/stores/:storeId/prices/:skuId', body: storePriceRequest, response: z.object({ price: storePriceView }), auth: ['owner', 'manager'] },
  removeStorePrice: { method: 'DELETE', path: '/api/stores/:storeId/prices/:skuId', response: storePriceDeleted, auth: ['owner', 'manager'] },
  priceChange: { method: 'POST', path: '/api/price-changes', body: priceChangeRequest, response: priceChangeResponse, auth: ['owner'] },
  counterPayment: { method: 'POST', path: '/api/orders/:orderId/payments', body: counterPaymentRequest, response: paymentResponse, auth: 'staff' },
  cancelOrder: { method: 'POST', path: '/api/orders/:orderId/cancel', body: orderCancelRequest, response: orderCancelResponse, auth: 'staff' },
  orderPayments: { method: 'GET', path: '/api/orders/:orderId/payments', response: z.object({ items: z.array(paymentView) }), auth: 'staff' },
  payment: shopRoutes.payment,
  paymentTrail: { method: 'GET', path: '/api/payments/:paymentId/trail', response: paymentTrailResponse, auth: ['owner', 'manager'] },
  paymentsList: { method: 'GET', path: '/api/payments', response: paymentsListResponse, auth: ['owner', 'manager'] },
  // WeChat's message push (消息推送, JSON mode): no token, but every request carries WeChat's signature, checked before anything is read (401 otherwise). GET is the echostr handshake.
  // WeChat's message push (trade management): the signature is checked before anything else, so it is a platform route.
  wechatPushHandshake: { method: 'GET', path: '/api/wechat/push', response: z.unknown(), auth: 'platform' },
  wechatPush: { method: 'POST', path: '/api/wechat/push', response: z.literal('success'), auth: 'platform' },
  shopCreateOrder: shopRoutes.shopCreateOrder,
  shopOrder: shopRoutes.shopOrder,
  shopPay: shopRoutes.shopPay,
  refunds: { method: 'GET', path: '/api/refunds', response: refundsResponse, auth: ['owner', 'manager'] },
  retryRefund: { method: 'POST', path: '/api/refunds/:refundId/retry', response: z.object({ refund: refundView }), auth: ['owner', 'manager'] },
  refundToCash: { method: 'POST', path: '/api/refunds/:refundId/to-cash', body: refundToCashRequest, response: z.object({ refund: refundView }), auth: ['owner', 'manager'] },
  alerts: { method: 'GET', path: '/api/alerts', response: alertsResponse, auth: ['owner', 'manager'] },
  resolveAlert: { method: 'POST', path: '/api/alerts/:alertId/resolve', response: z.object({ ok: z.boolean() }), auth: ['owner'] },
  alipayAuthorize: { method: 'POST', path: '/api/merchant/payment-accounts/alipay/authorize', response: alipayAuthorizeResponse, auth: ['owner'] },
  storeLinks: { method: 'GET', path: '/api/store-links', response: storeLinksResponse, auth: ['owner'] },
  orderRefunds: { method: 'GET', path: '/api/orders/:orderId/refunds', response: refundsResponse, auth: 'staff' },
  suppliers: { method: 'GET', path: '/api/purchasing/suppliers', response: suppliersResponse, auth: ['owner', 'manager'] },
  createSupplier: { method: 'POST', path: '/api/purchasing/suppliers', body: createSupplierRequest, response: supplierResponse, auth: ['owner', 'manager'] },
  supplier: { method: 'GET', path: '/api/purchasing/suppliers/:supplierId', response: supplierResponse, auth: ['owner', 'manager'] },
  updateSupplier: { method: 'PATCH', path: '/api/purchasing/suppliers/:supplierId', body: updateSupplierRequest, response: supplierResponse, auth: ['owner', 'manager'] },
  supplierStatement: { method: 'GET', path: '/api/purchasing/suppliers/:supplierId/statement', response: supplierStatementResponse, auth: ['owner', 'manager'] },
  purchaseOrders: { method: 'GET', path: '/api/purchasing/orders', response: purchaseOrdersResponse, auth: ['owner', 'manager'] },
  createPurchaseOrder: { method: 'POST', path: '/api/purchasing/orders', body: createPurchaseOrderRequest, response: purchaseOrderResponse, auth: ['owner', 'manager'] },
  purchaseOrder: { method: 'GET', path: '/api/purchasing/orders/:poId', response: purchaseOrderResponse, auth: ['owner', 'manager'] },
  submitPurchaseOrder: { method: 'POST', path: '/api/purchasing/orders/:poId/submit', response: purchaseOrderResponse, auth: ['owner', 'manager'] },
  cancelPurchaseOrder: { method: 'POST', path: '/api/purchasing/orders/:poId/cancel', response: purchaseOrderResponse, auth: ['owner', 'manager'] },
  receivePurchaseOrder: { method: 'POST', path: '/api/purchasing/orders/:poId/receipts', body: receiveRequest, response: purchaseReceiptResponse, auth: ['owner', 'manager'] },
  returnToSupplier: { method: 'POST', path: '/api/purchasing/orders/:poId/returns', body: purchaseReturnRequest, response: purchaseReturnResponse, auth: ['owner', 'manager'] },
  payables: { method: 'GET', path: '/api/purchasing/payables', response: payablesResponse, auth: ['owner', 'manager'] },
  payablesAging: { method: 'GET', path: '/api/purchasing/payables/aging', response: agingResponse, auth: ['owner', 'manager'] },
  paySupplier: { method: 'POST', path: '/api/purchasing/payments', body: supplierPaymentRequest, response: supplierPaymentResponse, auth: ['owner', 'manager'] },
  reorderSuggestions: { method: 'GET', path: '/api/purchasing/reorder', response: reorderResponse, auth: ['owner', 'manager'] },
  purchasesReport: { method: 'GET', path: '/api/purchasing/report', response: purchasesReportResponse, auth: ['owner', 'manager'] },
  createTransfer: { method: 'POST', path: '/api/transfers', body: stockOps.createTransferRequest, response: stockOps.transferResponse, auth: ['owner', 'manager'] },
  transfers: { method: 'GET', path: '/api/transfers', response: stockOps.transfersResponse, auth: 'staff' },
  transfer: { method: 'GET', path: '/api/transfers/:transferId', response: stockOps.transferResponse, auth: 'staff' },
  shipTransfer: { method: 'POST', path: '/api/transfers/:transferId/ship', body: stockOps.transferQtyRequest, response: stockOps.transferResponse, auth: ['owner', 'manager'] },
  receiveTransfer: { method: 'POST', path: '/api/transfers/:transferId/receive', body: stockOps.transferQtyRequest, response: stockOps.transferResponse, auth: ['owner', 'manager'] },
  writeOffTransfer: { method: 'POST', path: '/api/transfers/:transferId/write-off', body: stockOps.writeOffRequest, response: stockOps.transferResponse, auth: ['owner', 'manager'] },
  cancelTransfer: { method: 'POST', path: '/api/transfers/:transferId/cancel', response: stockOps.transferResponse, auth: ['owner', 'manager'] },
  startStocktake: { method: 'POST', path: '/api/stocktakes', body: stockOps.startStocktakeRequest, response: stockOps.stocktakeResponse, auth: ['owner', 'manager'] },
  stocktakes: { method: 'GET', path: '/api/stocktakes', response: stockOps.stocktakesResponse, auth: 'staff' },
  stocktake: { method: 'GET', path: '/api/stocktakes/:stocktakeId', response: stockOps.stocktakeResponse, auth: 'staff' },
  countStocktake: { method: 'POST', path: '/api/stocktakes/:stocktakeId/counts', body: stockOps.countRequest, response: stockOps.countResponse, auth: 'staff' },
  approveStocktake: { method: 'POST', path: '/api/stocktakes/:stocktakeId/approve', body: stockOps.approveStocktakeRequest, response: stockOps.stocktakeResponse, auth: ['owner', 'manager'] },
  cancelStocktake: { method: 'POST', path: '/api/stocktakes/:stocktakeId/cancel', response: stockOps.stocktakeResponse, auth: ['owner', 'manager'] },
  batchTracking: { method: 'PUT', path: '/api/skus/:skuId/batch-tracking', body: stockOps.batchTrackingRequest, response: z.object({ skuId: z.string(), tracked: z.boolean() }), auth: ['owner', 'manager'] },
  recordBatch: { method: 'POST', path: '/api/stock/batches', body: stockOps.recordBatchRequest, response: stockOps.batchResponse, auth: ['owner', 'manager'] },
  storeBatches: { method: 'GET', path: '/api/stores/:storeId/batches', response: stockOps.batchesResponse, auth: 'staff' },
  stockLimits: { method: 'GET', path: '/api/stores/:storeId/stock-limits', response: stockOps.stockLimitsResponse, auth: ['owner', 'manager'] },
  setStockLimits: { method: 'PUT', path: '/api/stores/:storeId/stock-limits', body: stockOps.stockLimitsRequest, response: stockOps.stockLimitsResponse, auth: ['owner', 'manager'] },
  stockAlertSettings: { method: 'GET', path: '/api/settings/stock-alerts', response: stockOps.stockAlertSettings, auth: ['owner', 'manager'] },
  setStockAlertSettings: { method: 'PUT', path: '/api/settings/stock-alerts', body: stockOps.stockAlertSettings, response: stockOps.stockAlertSettings, auth: ['owner'] },
  stockAlerts: { method: 'GET', path: '/api/stores/:storeId/stock-alerts', response: stockOps.stockAlertsResponse, auth: ['owner', 'manager'] },
  stockAlertCounts: { method: 'GET', path: '/api/boss/stock-alert-counts', response: stockOps.alertCountsResponse, auth: ['owner', 'manager'] },
  tradeCustomers: { method: 'GET', path: '/api/credit/customers', response: tradeCustomersResponse, auth: 'staff' },
  tradeCustomer: { method: 'GET', path: '/api/credit/customers/:customerId', response: tradeCustomerResponse, auth: 'staff' },
  createTradeCustomer: { method: 'POST', path: '/api/credit/customers', body: tradeCustomerRequest, response: tradeCustomerResponse, auth: ['owner', 'manager'] },
  updateTradeCustomer: { method: 'PUT', path: '/api/credit/customers/:customerId', body: tradeCustomerRequest, response: tradeCustomerResponse, auth: ['owner', 'manager'] },
  creditApproval: { method: 'POST', path: '/api/credit/customers/:customerId/approvals', body: creditApprovalRequest, response: creditApprovalResponse, auth: ['owner', 'manager'] },
  customerReceipt: { method: 'POST', path: '/api/credit/customers/:customerId/receipts', body: receiptRequest, response: receiptResponse, auth: ['owner', 'manager'] },
  customerInvoices: { method: 'GET', path: '/api/credit/customers/:customerId/invoices', response: invoicesResponse, auth: ['owner', 'manager'] },
  customerStatement: { method: 'GET', path: '/api/credit/customers/:customerId/statement', response: statementResponse, auth: ['owner', 'manager'] },
  creditOverdue: { method: 'GET', path: '/api/credit/overdue', response: overdueResponse, auth: ['owner', 'manager'] },
  staffPerformance: { method: 'GET', path: '/api/staff-performance', response: performanceResponse, auth: ['owner', 'manager'] },
  commissionRules: { method: 'GET', path: '/api/commission/rules', response: commissionRulesResponse, auth: ['owner', 'manager'] },
  saveCommissionRule: { method: 'POST', path: '/api/commission/rules', body: commissionRuleRequest, response: commissionRulesResponse.extend({ id: z.string() }), auth: ['owner'] },
  deactivateCommissionRule: { method: 'POST', path: '/api/commission/rules/:ruleId/deactivate', response: commissionRulesResponse, auth: ['owner'] },
  commissionStatements: { method: 'GET', path: '/api/commission/statements', response: commissionStatementsResponse, auth: ['owner'] },
  confirmCommissionStatement: { method: 'POST', path: '/api/commission/statements/confirm', body: confirmStatementRequest, response: confirmStatementResponse, auth: ['owner'] },
  saveSplitRule: { method: 'POST', path: '/api/split/rules', body: splitRuleRequest, response: splitRuleResponse, auth: ['owner'] },
  splitRules: { method: 'GET', path: '/api/split/rules', response: splitRulesResponse, auth: ['owner'] },
  splitLog: { method: 'GET', path: '/api/split/log', response: splitLogResponse, auth: ['owner'] },
  paymentAccounts: { method: 'GET', path: '/api/merchant/payment-accounts', response: paymentAccountsResponse, auth: ['owner', 'manager'] },
  setWechatSubMerchant: { method: 'PUT', path: '/api/merchant/payment-accounts/wechat', body: wechatSubMerchantRequest, response: paymentAccountsResponse, auth: ['owner'] },
  reconcileRuns: { method: 'GET', path: '/api/reconcile/runs', response: reconcileRunsResponse, auth: ['owner', 'manager'] },
  reconcileRun: { method: 'GET', path: '/api/reconcile/runs/:runId', response: reconcileReport, auth: ['owner', 'manager'] },
  reconcileItems: { method: 'GET', path: '/api/reconcile/runs/:runId/items', response: reconcileItemsResponse, auth: ['owner', 'manager'] },
  rerunReconcile: { method: 'POST', path: '/api/reconcile/runs', body: reconcileRunRequest, response: reconcileRunView, auth: ['owner', 'manager'] },
  resolveReconcileItem: { method: 'POST', path: '/api/reconcile/runs/:runId/items/:itemId/resolve', body: resolveExceptionRequest, response: reconcileItemView, auth: ['owner', 'manager'] },
  downloadBill: { method: 'POST', path: '/api/reconcile/downloads', body: billDownloadRequest, response: billDownloadResponse, auth: ['owner', 'manager'] },
  billDownloads: { method: 'GET', path: '/api/reconcile/downloads', response: billDownloadsResponse, auth: ['owner', 'manager'] },
  discountLimits: { method: 'GET', path: '/api/discount-limits', response: discounts.discountLimitsResponse, auth: 'staff' },
  saveDiscountLimits: { method: 'PUT', path: '/api/discount-limits', body: discounts.discountLimitsRequest, response: discounts.discountLimitsResponse, auth: ['owner'] },
  approveDiscount: { method: 'POST', path: '/api/discount-approvals', body: discounts.discountApprovalRequest, response: discounts.discountApprovalResponse, auth: ['owner', 'manager'] },
  currentShift: { method: 'GET', path: '/api/shifts/current', response: shifts.currentShiftResponse, auth: 'staff' },
  openShift: { method: 'POST', path: '/api/shifts', body: shifts.openShiftRequest, response: shifts.shiftResponse, auth: 'staff' },
  shift: { method: 'GET', path: '/api/shifts/:shiftId', response: shifts.shiftResponse, auth: 'staff' },
  shiftCashMove: { method: 'POST', path: '/api/shifts/:shiftId/cash-moves', body: shifts.cashMoveRequest, response: shifts.shiftResponse, auth: 'staff' },
  closeShift: { method: 'POST', path: '/api/shifts/:shiftId/close', body: shifts.closeShiftRequest, response: shifts.shiftResponse, auth: 'staff' },
  confirmShift: { method: 'POST', path: '/api/shifts/:shiftId/confirm', body: shifts.confirmShiftRequest, response: shifts.shiftResponse, auth: ['owner', 'manager'] },
  shifts: { method: 'GET', path: '/api/shifts', response: shifts.shiftsResponse, auth: ['owner', 'manager'] },
  shiftSettings: { method: 'PUT', path: '/api/stores/:storeId/shift-settings', body: shifts.shiftSettingsRequest, response: shifts.shiftSettingsResponse, auth: ['owner', 'manager'] },
  dayClose: { method: 'GET', path: '/api/day-close', response: shifts.dayCloseResponse, auth: ['owner', 'manager'] },
  closeDay: { method: 'POST', path: '/api/day-close', body: shifts.dayCloseRequest, response: shifts.dayCloseResponse, auth: ['owner', 'manager'] },
  dayCloseSlip: { method: 'GET', path: '/api/day-close/slip', response: shifts.dayCloseSlipResponse, auth: ['owner', 'manager'] },
  // The bill upload's body is the raw file, not JSON, so it has no body schema; the export answers a file.
  uploadBill: { method: 'POST', path: '/api/reconcile/bills', response: z.object({ billId: z.string(), replayed: z.boolean(), lines: z.number(), run: reconcileRunView }), auth: ['owner', 'manager'] },
  reconcileExport: { method: 'GET', path: '/api/reconcile/runs/:runId/export', response: z.unknown(), auth: ['owner', 'manager'] },
  // Called by the payment platforms and by Vercel's scheduler, never by the mini-program.
  payNotify: { method: 'POST', path: '/api/pay/:channel/notify', response: z.unknown(), auth: 'platform' },
  // The owner's browser coming back from Alipay's consent page: the signed state, not a session, says whose it is.
  alipayAppAuthCallback: { method: 'GET', path: '/api/alipay/app-auth/callback', response: z.unknown(), auth: 'platform' },
  cronExpireCustomerReservations: { method: 'GET', path: '/api/cron/expire-customer-reservations', response: z.unknown(), auth: 'cron' },
  cronReleaseReservations: { method: 'GET', path: '/api/cron/release-reservations', response: z.unknown(), auth: 'cron' },
  cronPayments: { method: 'GET', path: '/api/cron/payments', response: z.unknown(), auth: 'cron' },
  cronReconcile: { method: 'GET', path: '/api/cron/reconcile', response: z.unknown(), auth: 'cron' },
  // Delivered by the job queue (QStash or its local stand-in), signed over the raw body.
  queueJob: { method: 'POST', path: '/api/jobs/:job', response: z.unknown(), auth: 'queue' },
  opsJobFailures: { method: 'GET', path: '/api/ops/job-failures', response: jobFailuresResponse, auth: 'cron' },
  merchantJobs: { method: 'GET', path: '/api/merchant/jobs', response: merchantJobsResponse, auth: ['owner', 'manager'] },
  // Member messages (#17, messages stream): the owner's templates, the member's consent.
  messageTemplates: { method: 'GET', path: '/api/message-templates', response: messageTemplatesResponse, auth: ['owner', 'manager'] },
  saveMessageTemplate: { method: 'PUT', path: '/api/message-templates', body: messageTemplateRequest, response: z.object({ template: messageTemplateView }), auth: ['owner'] },
  memberMessageSubscriptions: { method: 'GET', path: '/api/shop/message-subscriptions', response: memberSubscriptionsResponse, auth: 'member' },
  reportMessageConsent: { method: 'POST', path: '/api/shop/message-consents', body: consentReportRequest, response: consentReportResponse, auth: 'member' },
  // members-identity stream (#17): one member everywhere and the member centre, through the member's own token only.
  bindPhone: { method: 'POST', path: '/api/me/phone', body: members.bindPhoneRequest, response: members.bindPhoneResponse, auth: 'member' },
  memberCode: { method: 'GET', path: '/api/me/code', response: members.memberCodeResponse, auth: 'member' },
  memberCentre: { method: 'GET', path: '/api/me/centre', response: members.memberCentreResponse, auth: 'member' },
  memberPoints: { method: 'GET', path: '/api/me/points', response: members.pointsPageResponse, auth: 'member' },
  memberOrders: { method: 'GET', path: '/api/me/orders', response: members.memberOrdersResponse, auth: 'member' },
  memberOrderReceipt: { method: 'GET', path: '/api/me/orders/:orderId/receipt', response: z.object({ receipt: receiptModel }), auth: 'member' },
  // Coupons (#17): the owner makes and stops templates (managers read), the counter issues and picks, the shopper claims and holds.
  couponTemplates: { method: 'GET', path: '/api/coupons/templates', response: coupons.couponTemplatesResponse, auth: ['owner', 'manager'] },
  createCouponTemplate: { method: 'POST', path: '/api/coupons/templates', body: coupons.couponTemplateRequest, response: coupons.couponTemplateResponse, auth: ['owner'] },
  stopCouponTemplate: { method: 'POST', path: '/api/coupons/templates/:templateId/stop', response: coupons.couponTemplateResponse, auth: ['owner'] },
  issueCoupon: { method: 'POST', path: '/api/coupons/issue', body: coupons.issueCouponRequest, response: coupons.issueCouponResponse, auth: 'staff' },
  storeMemberCoupons: { method: 'GET', path: '/api/stores/:storeId/coupons', response: coupons.couponsResponse, auth: 'staff' },
  shopCoupons: { method: 'GET', path: '/api/shop/coupons', response: coupons.couponsResponse, auth: 'member' },
  shopClaimableCoupons: { method: 'GET', path: '/api/shop/coupons/claimable', response: coupons.claimableResponse, auth: 'member' },
  shopClaimCoupon: { method: 'POST', path: '/api/shop/coupons/claim', body: coupons.claimCouponRequest, response: coupons.issueCouponResponse, auth: 'member' },
  // Stored value (储值, #17).
  storedValuePlans: { method: 'GET', path: '/api/stored-value/plans', response: storedValue.storedValuePlansResponse, auth: 'staff' },
  createStoredValuePlan: { method: 'POST', path: '/api/stored-value/plans', body: storedValue.storedValuePlanRequest, response: storedValue.storedValuePlanResponse, auth: ['owner'] },
  stopStoredValuePlan: { method: 'POST', path: '/api/stored-value/plans/:planId/stop', response: storedValue.storedValuePlanResponse, auth: ['owner'] },
  storedValueSettings: { method: 'GET', path: '/api/settings/stored-value', response: storedValue.storedValueSettingsResponse, auth: ['owner'] },
  saveStoredValueSettings: { method: 'PUT', path: '/api/settings/stored-value', body: storedValue.storedValueSettings, response: storedValue.storedValueSettingsResponse, auth: ['owner'] },
  counterTopUp: { method: 'POST', path: '/api/stores/:storeId/stored-value/top-ups', body: storedValue.counterTopUpRequest, response: storedValue.topUpResponse, auth: 'staff' },
  memberStoredValue: { method: 'GET', path: '/api/members/:memberId/stored-value', response: storedValue.storedValueStatement, auth: 'staff' },
  refundStoredValue: { method: 'POST', path: '/api/members/:memberId/stored-value/refund', body: storedValue.storedValueRefundRequest, response: storedValue.storedValueRefundResponse, auth: ['owner'] },
  shopStoredValue: { method: 'GET', path: '/api/shop/stored-value', response: storedValue.shopStoredValueResponse, auth: 'member' },
  shopOpenTopUp: { method: 'POST', path: '/api/shop/stored-value/top-ups', body: storedValue.shopTopUpRequest, response: storedValue.topUpResponse, auth: 'member' },
  shopPayTopUp: { method: 'POST', path: '/api/shop/stored-value/top-ups/:topUpId/pay', body: storedValue.topUpPaymentRequest, response: storedValue.topUpPaymentResponse, auth: 'member' },
  shopTopUp: { method: 'GET', path: '/api/shop/stored-value/top-ups/:topUpId', response: storedValue.topUpResponse, auth: 'member' },
  // Points mall (积分商城, #17): the shop's gifts and redemptions, the owner's gifts, the counter's pickups and redemptions.
  shopMallGifts: { method: 'GET', path: '/api/shop/mall/gifts', response: mall.giftsResponse, auth: 'member' },
  shopMallRedeem: { method: 'POST', path: '/api/shop/mall/redemptions', body: mall.shopRedeemRequest, response: mall.redemptionResponse, auth: 'member' },
  shopMallRedemptions: { method: 'GET', path: '/api/shop/mall/redemptions', response: mall.redemptionsResponse, auth: 'member' },
  shopMallCancel: { method: 'POST', path: '/api/shop/mall/redemptions/:redemptionId/cancel', response: mall.redemptionResponse, auth: 'member' },
  mallGifts: { method: 'GET', path: '/api/mall/gifts', response: mall.giftsResponse, auth: ['owner', 'manager'] },
  createMallGift: { method: 'POST', path: '/api/mall/gifts', body: mall.giftRequest, response: mall.giftResponse, auth: ['owner'] },
  updateMallGift: { method: 'PUT', path: '/api/mall/gifts/:giftId', body: mall.giftRequest, response: mall.giftResponse, auth: ['owner'] },
  storeMallRedemptions: { method: 'GET', path: '/api/stores/:storeId/mall/redemptions', response: mall.redemptionsResponse, auth: 'staff' },
  storeMallPickup: { method: 'GET', path: '/api/stores/:storeId/mall/pickups/:code', response: z.object({ redemption: mall.redemptionView }), auth: 'staff' },
  storeMallHandOver: { method: 'POST', path: '/api/stores/:storeId/mall/pickups', body: mall.handOverRequest, response: mall.redemptionResponse, auth: 'staff' },
  counterMallRedeem: { method: 'POST', path: '/api/stores/:storeId/mall/redemptions', body: mall.counterRedeemRequest, response: mall.redemptionResponse, auth: 'staff' },
  storeMallCancel: { method: 'POST', path: '/api/stores/:storeId/mall/redemptions/:redemptionId/cancel', response: mall.redemptionResponse, auth: ['owner', 'manager'] },
  // Referral (老带新, #17): the member's share token and arrival, the owner's list and settings.
  shopReferralToken: { method: 'GET', path: '/api/shop/referral/token', response: referral.referralTokenResponse, auth: 'member' },
  shopReferralArrival: { method: 'POST', path: '/api/shop/referral/arrivals', body: referral.arrivalRequest, response: referral.arrivalResponse, auth: 'member' },
  referrals: { method: 'GET', path: '/api/referrals', response: referral.referralsResponse, auth: ['owner', 'manager'] },
  referralSettings: { method: 'GET', path: '/api/referrals/settings', response: referral.referralSettingsView, auth: ['owner', 'manager'] },
  saveReferralSettings: { method: 'PUT', path: '/api/referrals/settings', body: referral.referralSettingsRequest, response: referral.referralSettingsView, auth: ['owner'] },
} as const satisfies Record<string, RouteDef>;

export type RouteName = keyof typeof routes;
export type ResponseOf<N extends RouteName> = z.infer<(typeof routes)[N]['response']>;
export type BodyOf<N extends RouteName> = (typeof routes)[N] extends { body: infer B extends z.ZodType } ? z.infer<B> : never;
