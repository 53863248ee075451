import { pinyin } from 'pinyin-pro';

/** Pinyin initials of a product name ("农夫山泉" → "nfsq"), for searching on a phone keyboard. Latin letters and digits pass through. */
export function pinyinInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
