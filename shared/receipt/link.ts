/**
 * The link a receipt's QR carries: `https://<host>/r/<token>`, beside the
 * store's `/q/<store>` link on the same host. It opens the shopper's receipt
 * page (the mini-program in WeChat or Alipay, the H5 page in a browser); the
 * token is random, so a receipt cannot be found from its order id.
 */
export const receipt_link_prefix = '/r/';
/** The page that shows a receipt by its token, in the mini-program and the H5 build. */
export const receipt_page = 'pages/receipt/index';

export function receiptLinkUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${receipt_link_prefix}${token}`;
}
