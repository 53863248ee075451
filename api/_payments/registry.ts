import { AppError } from '../_kernel/errors.js';
import type { Deps } from '../_kernel/deps.js';
import type { ChannelName, MerchantBinding, PaymentChannel } from './channel.js';
import { paymentChannelFor, paymentChannelIfBound } from './merchant-channel.js';

/** How a deployment takes money on WeChat Pay: its own merchant keys (one shop), or a service provider's for its sub-merchants (#18). */
export type WechatDeploymentMode = 'direct' | 'partner';

/**
 * Bound channels kept made, so a busy merchant does not rebuild its adapter
 * on every call. Past this many the cache starts over: a deployment with more
 * merchants than this pays one cheap rebuild per merchant now and then.
 */
export const bound_channels_cached_max = 2000;

/**
 * The platforms this deployment takes money with. There is no channel
 * "for the deployment" that moves money: every money call goes through a
 * channel bound to one merchant (`bound`, usually reached through
 * `paymentChannelFor` in merchant-channel.ts), so a payment, refund, split or
 * bill is always that merchant's and never another's.
 */
export interface PaymentChannels {
  /**
   * The channel for one merchant: its binding read from the database, a 409
   * saying why when it has none. Takes `deps` because the registry is made
   * before the dependencies it reads the binding with.
   */
  forMerchant(deps: Deps, merchantId: string, name: ChannelName): Promise<PaymentChannel>;
  /** The same, or undefined when the merchant has no active binding (callers that wait or go on without it). */
  forMerchantIfBound(deps: Deps, merchantId: string, name: ChannelName): Promise<PaymentChannel | undefined>;
  /** The channel making calls for one merchant's binding (its sub-merchant number, its Alipay authorisation, or direct). */
  bound(binding: MerchantBinding): PaymentChannel;
  /**
   * The deployment's channel with no merchant, for what arrives without one:
   * verifying and reading notifications. The core finds the payment first and
   * then checks the notification against that merchant's bound channel.
   */
  platform(name: ChannelName): PaymentChannel;
  /** Whether the channel's settings are present, without making it. */
  configured(name: ChannelName): boolean;
  /** WeChat Pay's mode from WECHATPAY_MODE (direct unless set). */
  wechatMode(): WechatDeploymentMode;
  /** Resolves once the registry can answer: a registry whose adapters load on first need (the function's cold start) has one. */
  ready?(): Promise<void>;
}

export type ChannelFactories = Partial<Record<ChannelName, (binding: MerchantBinding | null) => PaymentChannel>>;

const label = (name: ChannelName) => (name === 'wechat' ? '微信支付' : '支付宝');

/** One key per binding, so a changed sub-merchant number or a refreshed Alipay token makes a new channel. */
function bindingKey(binding: MerchantBinding | null, name: ChannelName): string {
  if (!binding) return `${name}:platform`;
  if (binding.channel === 'wechat') return binding.mode === 'partner' ? `wechat:partner:${binding.subMchid}:${binding.subAppid ?? ''}` : 'wechat:direct';
  return binding.mode === 'isv' ? `alipay:isv:${binding.authAppId}:${binding.sellerId}:${binding.appAuthToken}` : 'alipay:direct';
}

/**
 * A channel whose settings are missing answers 503 (the log names the
 * variable, the answer does not), so a shop that takes only WeChat needs no
 * Alipay keys. A factory is given the merchant's binding, or null for the
 * merchant-less channel that reads notifications.
 */
export function channelRegistry(factories: ChannelFactories, options: { wechatMode?: WechatDeploymentMode } = {}): PaymentChannels {
  const made = new Map<string, PaymentChannel>();
  const make = (name: ChannelName, binding: MerchantBinding | null): PaymentChannel => {
    const key = bindingKey(binding, name);
    const existing = made.get(key);
    if (existing) return existing;
    const factory = factories[name];
    if (!factory) throw new AppError('unavailable', `${label(name)}未开通`);
    let channel: PaymentChannel;
    try {
      channel = factory(binding);
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('unavailable', `${label(name)}未配置`, undefined, { detail: e instanceof Error ? e.message : String(e) });
    }
    if (made.size >= bound_channels_cached_max) made.clear();
    made.set(key, channel);
    return channel;
  };
  return {
    forMerchant: paymentChannelFor,
    forMerchantIfBound: paymentChannelIfBound,
    bound: (binding) => make(binding.channel, binding),
    platform: (name) => make(name, null),
    configured(name) {
      try {
        make(name, null);
        return true;
      } catch {
        return false;
      }
    },
    wechatMode: () => options.wechatMode ?? 'direct',
  };
}
