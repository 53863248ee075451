import Taro from '@tarojs/taro';
import { consent_templates_per_request_max, type MessagePlatform } from '../../shared/api/messages';
import { call } from './api';
import { newId } from '../../shared/ids';

export type ConsentAnswer = 'accept' | 'reject' | 'ban' | 'filter';

// Decided outside any async function, with the condition written out, so webpack prunes the sandbox from the mini-program builds (see login-code.ts).
const sandboxDialog: ((platform: MessagePlatform, ids: string[], titles: string[]) => Promise<Record<string, ConsentAnswer>>) | null =
  process.env.TARO_ENV === 'h5' && process.env.TARO_APP_SANDBOX !== '' ? (platform, ids, titles) => import('./sandbox-messages.h5').then((m) => m.sandboxSubscribeDialog(platform, ids, titles)) : null;

/** The platform this build talks to; H5 with the sandbox plays the one the shopper signed in with. */
export function messagePlatform(): MessagePlatform | null {
  if (process.env.TARO_ENV === 'weapp') return 'wechat';
  if (process.env.TARO_ENV === 'alipay') return 'alipay';
  if (!sandboxDialog) return null;
  try {
    return Taro.getStorageSync('guitai.shopper.platform') === 'alipay' ? 'alipay' : 'wechat';
  } catch {
    return 'wechat';
  }
}

const answers: ReadonlySet<string> = new Set(['accept', 'reject', 'ban', 'filter']);

/**
 * The platform's own dialog for up to three templates (both platforms' limit):
 * WeChat `requestSubscribeMessage({tmplIds})` answers each id with
 * accept/reject/ban/filter; Alipay's `({entityIds})` is believed only when
 * `behavior` is `subscribe`, and a closed dialog reports nothing.
 */
async function dialog(platform: MessagePlatform, ids: string[], titles: string[]): Promise<Record<string, ConsentAnswer>> {
  if (sandboxDialog) return sandboxDialog(platform, ids, titles);
  const out: Record<string, ConsentAnswer> = {};
  if (platform === 'wechat') {
    const res = (await Taro.requestSubscribeMessage({ tmplIds: ids } as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, unknown>;
    for (const id of ids) if (typeof res[id] === 'string' && answers.has(res[id] as string)) out[id] = res[id] as ConsentAnswer;
    return out;
  }
  const res = (await Taro.requestSubscribeMessage({ entityIds: ids } as Taro.requestSubscribeMessage.Option)) as unknown as { behavior?: string; result?: { subscribedEntityIds?: string[]; unsubscribedEntityIds?: string[] } };
  if (res.behavior !== 'subscribe') return out;
  for (const id of res.result?.subscribedEntityIds ?? []) if (ids.includes(id)) out[id] = 'accept';
  for (const id of res.result?.unsubscribedEntityIds ?? []) if (ids.includes(id)) out[id] ??= 'reject';
  return out;
}

/**
 * Asks the member about the shop's templates at a natural moment (after
 * paying, on the member centre) and reports what they said, once per
 * dialog (the report id makes a repeat harmless). Answers nothing when the
 * build has no platform or the member closed the dialog.
 */
export async function askMessageConsent(templates: { templateId: string; title: string }[]): Promise<number> {
  const platform = messagePlatform();
  const asked = templates.slice(0, consent_templates_per_request_max);
  if (!platform || asked.length === 0) return 0;
  const said = await dialog(platform, asked.map((t) => t.templateId), asked.map((t) => t.title));
  const results = Object.entries(said).map(([templateId, result]) => ({ templateId, result }));
  if (results.length === 0) return 0;
  await call('reportMessageConsent', { body: { reportId: newId('consentReport'), platform, results } });
  return results.filter((r) => r.result === 'accept').length;
}
