import { Hono, type Context } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { recordPush, verifyPush } from './push.service.js';
import { wechat_push_body_bytes_max } from './limits.js';

export const shippingRoutes = new Hono<AppEnv>();

/** The signature comes first: an unsigned or mis-signed request is refused with 401 and logged, and nothing of it is read further. */
function checkSignature(c: Context<AppEnv>): void {
  const deps = c.get('deps');
  const q = { signature: c.req.query('signature'), timestamp: c.req.query('timestamp'), nonce: c.req.query('nonce') };
  if (!deps.config.wechatMessageToken) throw new AppError('unavailable', 'WECHAT_MESSAGE_TOKEN 未配置，无法验证微信消息推送');
  if (!verifyPush(deps.config.wechatMessageToken, q, deps.clock())) {
    deps.log.warn('wechat push refused: bad signature', { method: c.req.method, timestamp: q.timestamp ?? null, nonce: q.nonce ?? null });
    throw new AppError('unauthenticated', '微信消息推送签名无效');
  }
}

/** The handshake when 消息推送 is configured: a signed GET whose `echostr` is answered as it came. */
shippingRoutes.get('/wechat/push', (c) => {
  checkSignature(c);
  return c.text(c.req.query('echostr') ?? '');
});

/** Trade-management events (JSON mode). WeChat wants `success` (or an empty body) within five seconds. */
shippingRoutes.post('/wechat/push', async (c) => {
  checkSignature(c);
  const raw = await c.req.text();
  if (Buffer.byteLength(raw) > wechat_push_body_bytes_max) throw new AppError('payload_too_large', `消息体超过 ${wechat_push_body_bytes_max} 字节`);
  const outcome = await recordPush(c.get('deps'), raw);
  if (outcome === 'malformed') throw new AppError('validation_failed', '消息体不是 JSON 对象');
  c.get('deps').log.info('wechat push', { outcome });
  return c.text('success');
});
