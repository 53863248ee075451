/**
 * The platform module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { createAlipayLogin } from './alipay-login.js';
export { alipaySdk, requestErrorBody, verifiedErrorResponse } from './alipay-sdk.js';
export { beijingTimestamp, parseBeijingTimestamp } from './alipay-time.js';
export { readAlipayConfig, readAlipayPhoneConfig, readWechatConfig } from './config.js';
export { createAlipayPhone } from './alipay-phone.js';
export { createWechatPhone } from './wechat-phone.js';
export { createWechatLogin } from './wechat-login.js';
// Server calls of the mini-program apps beyond login (member messages, #17).
export { dropWechatAccessToken, wechatAccessToken, wechat_token_errcodes, type WechatTokenResult } from './wechat-access-token.js';
export { createAlipayAppCall, type AlipayAppCall, type AlipayCallAnswer } from './alipay-app-call.js';
