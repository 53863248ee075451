import { pinyin } from 'pinyin-pro';

/** Pinyin initials of a product name ("农夫山泉" → "nfsq"), for searching on a phone keyboard. Latin letters and digits pass through. */
export function pinyinInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Full pinyin of a product name without tones or spaces ("王老吉" → "wanglaoji"); Latin letters and digits pass through. */
export function pinyinFull(name: string): string {
  return pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Whether what was typed finds the name by pinyin: its initials ("wlj") or
 * its full pinyin ("wanglaoji", "laoji"), as the server's search matches the
 * initials it stores. Spaces and case in the query do not matter; a query
 * with no letters or digits matches nothing here (the name search covers it).
 */
export function matchesPinyin(name: string, query: string): boolean {
  const q = query.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (q === '') return false;
  return pinyinInitials(name).includes(q) || pinyinFull(name).includes(q);
}
