import { describe, expect, it } from 'vitest';
import { matchesPinyin, pinyinFull, pinyinInitials } from './pinyin.js';

describe('pinyin search keys', () => {
  it('gives initials and full pinyin of a Chinese name, Latin letters and digits kept', () => {
    expect(pinyinInitials('王老吉凉茶')).toBe('wljlc');
    expect(pinyinFull('王老吉凉茶')).toBe('wanglaojiliangcha');
    expect(pinyinFull('王老吉 310ml')).toBe('wanglaoji310ml');
  });

  it('finds a name by its initials or full pinyin, in any case and with spaces', () => {
    expect(matchesPinyin('王老吉凉茶', 'wlj')).toBe(true);
    expect(matchesPinyin('王老吉凉茶', 'WLJ')).toBe(true);
    expect(matchesPinyin('王老吉凉茶', 'wanglaoji')).toBe(true);
    expect(matchesPinyin('王老吉凉茶', 'wang lao ji')).toBe(true);
    expect(matchesPinyin('王老吉凉茶', 'liangcha')).toBe(true);
  });

  it('does not find what the name does not sound like', () => {
    expect(matchesPinyin('王老吉凉茶', 'zzz')).toBe(false);
    expect(matchesPinyin('王老吉凉茶', 'nfsq')).toBe(false);
    expect(matchesPinyin('王老吉凉茶', '')).toBe(false);
    expect(matchesPinyin('王老吉凉茶', '  ')).toBe(false);
  });
});
