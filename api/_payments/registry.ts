import { AppError } from '../_kernel/errors.js';
import type { ChannelName, PaymentChannel } from './channel.js';

/** The platforms this deployment takes money with, each made on first use. */
export interface PaymentChannels {
  get(name: ChannelName): PaymentChannel;
  /** Whether the channel's settings are present, without making it. */
  configured(name: ChannelName): boolean;
  /** Resolves once `get` can answer: a registry whose adapters load on first need (the function's cold start) has one. */
  ready?(): Promise<void>;
}

/**
 * A channel whose settings are missing answers 503 (the log names the
 * variable, the answer does not), so a shop that takes only WeChat needs no
 * Alipay keys.
 */
export function channelRegistry(factories: Partial<Record<ChannelName, () => PaymentChannel>>): PaymentChannels {
  const made = new Map<ChannelName, PaymentChannel>();
  return {
    get(name) {
      const existing = made.get(name);
      if (existing) return existing;
      const factory = factories[name];
      if (!factory) throw new AppError('unavailable', `${name === 'wechat' ? '微信支付' : '支付宝'}未开通`);
      let channel: PaymentChannel;
      try {
        channel = factory();
      } catch (e) {
        throw new AppError('unavailable', `${name === 'wechat' ? '微信支付' : '支付宝'}未配置`, undefined, { detail: e instanceof Error ? e.message : String(e) });
      }
      made.set(name, channel);
      return channel;
    },
    configured(name) {
      if (made.has(name)) return true;
      try {
        this.get(name);
        return true;
      } catch {
        return false;
      }
    },
  };
}
