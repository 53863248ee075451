// The H5 build only: the local sandbox plays the platform's subscription dialog. The mini-program builds never import this.
import Taro from '@tarojs/taro';
import { sandboxShopper, sandbox_alipay_shopper } from './sandbox.h5';

/**
 * Asks as the platform's dialog would (允许 / 取消) and, on 允许, tells the
 * sandbox the user accepted each template, so its send API allows one
 * message per accept just as WeChat does.
 */
export async function sandboxSubscribeDialog(platform: 'wechat' | 'alipay', templateIds: string[], titles: string[]): Promise<Record<string, 'accept' | 'reject'>> {
  const answer = await Taro.showModal({ title: '订阅消息（沙箱）', content: `允许本店给你发送：${titles.join('、')}`, confirmText: '允许', cancelText: '取消' });
  const result: Record<string, 'accept' | 'reject'> = {};
  for (const id of templateIds) result[id] = answer.confirm ? 'accept' : 'reject';
  if (answer.confirm) {
    const base = process.env.TARO_APP_SANDBOX.replace(/\/+$/, '');
    const user = platform === 'wechat' ? sandboxShopper() : sandbox_alipay_shopper;
    for (const templateId of templateIds) {
      await fetch(`${base}/messages/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform, user, templateId }) });
    }
  }
  return result;
}
