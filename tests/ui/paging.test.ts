import { describe, expect, it } from 'vitest';
import { appendPage } from '../../src/services/paging';
import { sessionKindsFor } from '../../src/services/route-auth';
import { tenderLabel } from '../../src/services/tenders';

describe('appendPage', () => {
  it('appends, drops repeats and records the cursor', () => {
    const first = appendPage({ items: [], nextCursor: null, started: false }, { items: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c1' });
    expect(first).toEqual({ items: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c1', started: true });
    const second = appendPage(first, { items: [{ id: 'b' }, { id: 'c' }], nextCursor: null });
    expect(second.items.map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(second.nextCursor).toBeNull();
  });
});

describe('sessionKindsFor', () => {
  it.each([
    ['public', []],
    ['member', ['shopper']],
    ['session', ['staff', 'shopper']],
    ['staff', ['staff']],
    [['owner', 'manager'], ['staff']],
  ] as const)('%o → %o', (auth, kinds) => {
    expect(sessionKindsFor(auth)).toEqual(kinds);
  });
});

describe('tenderLabel', () => {
  it('names known tenders and passes unknown ones through', () => {
    expect(tenderLabel('cash')).toBe('现金');
    expect(tenderLabel('wechat_code')).toBe('微信支付');
    expect(tenderLabel('ecny')).toBe('数字人民币');
    expect(tenderLabel('gift_card')).toBe('gift_card');
  });
});
