import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { alipayGatewayRoutes } from './alipay-gateway';
import { alipayPayRoutes } from './alipay-pay-routes';
import { alipayAppAuthRoutes } from './alipay-app-auth-routes';
import { alipaySplitRoutes } from './alipay-split';
import { AlipayPaySandbox } from './alipay-pay-trades';
import { alipayBillRoutes } from './alipay-pay-bill';
import { clockRoutes, SandboxClock } from './clock';
import type { SandboxKeys } from './keys';
import { LoginCodes } from './login-codes';
import { NotifyControl, notifyControlRoutes } from './notify-control';
import { paycodeRoutes, Paycodes } from './paycodes';
import { wechatLoginRoutes } from './wechat-login';
import { wechatPayRoutes } from './wechat-pay';
import { WechatTrades } from './wechat-pay-trades';
import { WechatShipping, wechatShippingRoutes } from './wechat-shipping';
// Member messages (#17, messages stream).
import { messageControlRoutes, messagesOf, wechatMessageRoutes } from './member-messages';
import { phoneNumberRoutes } from './phone-numbers';

/**
 * The local payment sandbox: WeChat's and Alipay's server APIs on one port,
 * plus `/sandbox/*` routes that play the client app (issuing login codes).
 * Dev and test tooling only; production talks to the real hosts.
 */

export const sandbox_body_bytes_max = 16 * 1024;

const codeRequestSchema = z.discriminatedUnion('platform', [
  z.object({
    platform: z.literal('wechat'),
    appId: z.string(),
    userId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a WeChat openid such as oAbC…'),
    unionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  }),
  z.object({
    platform: z.literal('alipay'),
    appId: z.string(),
    userId: z.string().regex(/^2088\d{12}$/, 'an Alipay user id: 2088 and 12 digits'),
  }),
]);

/** The sandbox's payment state: payment codes, outgoing notifications, Alipay trades. */
export interface SandboxPayments {
  paycodes: Paycodes;
  notify: NotifyControl;
  alipay: AlipayPaySandbox;
  clock: SandboxClock;
  wechat: WechatTrades;
  shipping: WechatShipping;
}

export function sandboxPayments(keys: SandboxKeys): SandboxPayments {
  const paycodes = new Paycodes();
  const notify = new NotifyControl();
  const clock = new SandboxClock();
  return { paycodes, notify, alipay: new AlipayPaySandbox(keys, paycodes, notify, clock.now), clock, wechat: new WechatTrades(), shipping: new WechatShipping() };
}

export function sandboxApp(keys: SandboxKeys, codes: LoginCodes = new LoginCodes(), payments: SandboxPayments = sandboxPayments(keys)): Hono {
  const app = new Hono();
  app.post('/sandbox/codes', bodyLimit({ maxSize: sandbox_body_bytes_max }), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'body must be JSON' }, 400);
    }
    const parsed = codeRequestSchema.safeParse(body);
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    const request = parsed.data;
    const knownAppId = request.platform === 'wechat' ? keys.wechat.appId : keys.alipay.appId;
    if (request.appId !== knownAppId) return c.json({ error: `unknown ${request.platform} appId ${request.appId}` }, 400);
    const code = codes.issue(request);
    if (code === undefined) return c.json({ error: 'too many live login codes' }, 503);
    return c.json({ code }, 201);
  });
  app.get('/sandbox/users', (c) => c.json({ users: codes.users() }));
  // The app ids are public (they are in every mini-program package); a dev page needs them to ask for codes.
  app.get('/sandbox/apps', (c) => c.json({ wechat: { appId: keys.wechat.appId }, alipay: { appId: keys.alipay.appId } }));
  app.route('/', wechatLoginRoutes(keys, codes));
  app.route('/', alipayGatewayRoutes(keys, codes, payments.clock.now, payments.alipay));
  app.route('/', paycodeRoutes(payments.paycodes));
  app.route('/', notifyControlRoutes(payments.notify));
  app.route('/', alipayPayRoutes(payments.alipay));
  app.route('/', alipaySplitRoutes(payments.alipay));
  app.route('/', alipayAppAuthRoutes(payments.alipay.appAuth));
  app.route('/', wechatPayRoutes(keys, payments.paycodes, payments.notify, payments.clock.now, payments.wechat));
  app.route('/', wechatShippingRoutes(keys, payments.wechat, payments.shipping, payments.clock.now));
  app.route('/', alipayBillRoutes(payments.alipay));
  app.route('/', clockRoutes(payments.clock));
  // Member messages (#17, messages stream): the access tokens are the ones stable_token (in the shipping routes) issues.
  app.route('/', wechatMessageRoutes(payments.shipping.tokens, messagesOf(payments.alipay), payments.clock.now));
  app.route('/', messageControlRoutes(messagesOf(payments.alipay)));
  // Phone numbers users agree to share (#17); WeChat's exchange takes the shipping API's stable tokens.
  app.route('/', phoneNumberRoutes(keys, payments.shipping, payments.clock.now));
  return app;
}

export interface StartedSandbox {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Port 0 (the default) picks a free port. */
export async function startSandbox(options: { keys: SandboxKeys; port?: number; host?: string }): Promise<StartedSandbox> {
  const host = options.host ?? '127.0.0.1';
  const payments = sandboxPayments(options.keys);
  const app = sandboxApp(options.keys, new LoginCodes(), payments);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, (info: AddressInfo) => {
      server.off('error', reject);
      const urlHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${urlHost}:${info.port}`,
        port: info.port,
        stop: () =>
          new Promise<void>((done, fail) => {
            payments.notify.close();
            server.close((error) => (error ? fail(error) : done()));
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
