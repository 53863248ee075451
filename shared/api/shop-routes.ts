import { z } from 'zod';
import { categoriesResponse, productPage, productSummary } from './catalog.js';
import { meResponse, shopperLoginRequest, shopperSession, staffBindRequest, staffLoginRequest, staffSession, storeSummary } from './identity.js';
import { checkoutResponse, orderView, pricingContextResponse } from './orders.js';
import { paymentResponse, shopOrderRequest, shopPaymentRequest } from './payments.js';
import type { RouteDef } from './route-def.js';
import { shopRouteSpecs } from './shop-route-specs.js';

/**
 * The routes the mini-program's main package calls: the shop's pages and the
 * staff sign-in page. They are part of the full table in `routes.ts`; they are
 * kept apart so the main package, which shoppers download first, carries only
 * these schemas and not those of the counter and boss APIs.
 */
export const shopRoutes = {
  publicStore: { ...shopRouteSpecs.publicStore, response: storeSummary.extend({ merchantName: storeSummary.shape.name }) },
  publicCategories: { ...shopRouteSpecs.publicCategories, response: categoriesResponse },
  publicProducts: { ...shopRouteSpecs.publicProducts, response: productPage },
  publicProduct: { ...shopRouteSpecs.publicProduct, response: z.object({ product: productSummary }) },
  staffLogin: { ...shopRouteSpecs.staffLogin, body: staffLoginRequest, response: staffSession },
  staffBind: { ...shopRouteSpecs.staffBind, body: staffBindRequest, response: staffSession },
  shopperLogin: { ...shopRouteSpecs.shopperLogin, body: shopperLoginRequest, response: shopperSession },
  // 我的 reads the member's live points here rather than the copy in the login session.
  me: { ...shopRouteSpecs.me, response: meResponse },
  pricingContext: { ...shopRouteSpecs.pricingContext, response: pricingContextResponse },
  payment: { ...shopRouteSpecs.payment, response: paymentResponse },
  shopCreateOrder: { ...shopRouteSpecs.shopCreateOrder, body: shopOrderRequest, response: checkoutResponse },
  shopOrder: {
    ...shopRouteSpecs.shopOrder,
    // Set when the order was paid in the WeChat mini-program and its shipping information reached WeChat: the extraData of wx.openBusinessView('weappOrderConfirm').
    response: z.object({ order: orderView, confirmReceipt: z.object({ transactionId: z.string(), merchantId: z.string(), merchantTradeNo: z.string() }).nullable() }),
  },
  shopPay: { ...shopRouteSpecs.shopPay, body: shopPaymentRequest, response: paymentResponse },
} as const satisfies Record<string, RouteDef>;
