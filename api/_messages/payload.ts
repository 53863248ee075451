import { topic_fields, type MessagePlatform, type MessageTopic } from '../../shared/api/messages.js';

/**
 * The platform's `data` for one message: each template keyword filled with
 * the topic value the owner mapped it to. WeChat refuses a whole message
 * whose value breaks its keyword's rule (47003), so values are fitted to the
 * rules that can be met by cutting: `thing` ≤ 20 characters, `name` ≤ 10,
 * `phrase` ≤ 5, `character_string`, `number` and `letter` ≤ 32, `symbol` ≤ 5,
 * `phone_number` ≤ 17, `car_number` ≤ 8 (subscribeMessage.send's value table).
 */
const wechat_chars_max: Record<string, number> = {
  thing: 20,
  name: 10,
  phrase: 5,
  character_string: 32,
  number: 32,
  letter: 32,
  symbol: 5,
  phone_number: 17,
  car_number: 8,
};

function cut(value: string, max: number, ellipsis: boolean): string {
  const chars = [...value];
  if (chars.length <= max) return value;
  return ellipsis ? `${chars.slice(0, max - 1).join('')}…` : chars.slice(0, max).join('');
}

/** One keyword's value as WeChat accepts it: cut to its type's length, with … only where free text is allowed. */
export function fitWechatValue(keyword: string, value: string): string {
  const type = keyword.replace(/\d+$/, '');
  const max = wechat_chars_max[type];
  return max === undefined ? value : cut(value, max, type === 'thing');
}

/** Throws when a caller passes other keys than the topic's: a wiring mistake that a test must catch, not a message to send half-filled. */
export function checkTopicData(topic: MessageTopic, data: Record<string, string>): void {
  const wanted = topic_fields[topic].map((f) => f.key).sort();
  const given = Object.keys(data).sort();
  if (wanted.join() !== given.join()) throw new Error(`queueMemberMessage(${topic}): data keys ${given.join(',')} are not ${wanted.join(',')}`);
  for (const [k, v] of Object.entries(data)) if (typeof v !== 'string') throw new Error(`queueMemberMessage(${topic}): data.${k} is not a string`);
}

/** `{keyword: {value}}`, the shape both platforms take (Alipay as a JSON string of it). */
export function platformData(platform: MessagePlatform, fieldMap: Record<string, string>, data: Record<string, string>): Record<string, { value: string }> {
  const out: Record<string, { value: string }> = {};
  for (const [keyword, key] of Object.entries(fieldMap)) {
    const value = data[key] ?? '';
    out[keyword] = { value: platform === 'wechat' ? fitWechatValue(keyword, value) : value };
  }
  return out;
}

const beijing_offset_ms = 8 * 3_600_000;

/** A moment as WeChat's `time` keyword wants it, in Beijing time: `2026年12月6日 13:45`. */
export function messageTime(at: Date): string {
  const b = new Date(at.getTime() + beijing_offset_ms);
  const hh = String(b.getUTCHours()).padStart(2, '0');
  const mm = String(b.getUTCMinutes()).padStart(2, '0');
  return `${b.getUTCFullYear()}年${b.getUTCMonth() + 1}月${b.getUTCDate()}日 ${hh}:${mm}`;
}
