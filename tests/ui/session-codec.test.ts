import { describe, expect, it } from 'vitest';
import type { ShopperSession, StaffSession } from '../../shared/api/identity';
import { decodeSession, encodeSession, session_expiry_margin_ms } from '../../src/services/session-codec';

const now = Date.parse('2026-11-23T10:00:00Z');
const ulid = '01JABCDEFGHJKMNPQRSTVWXYZ0';

const staff: StaffSession = {
  token: 'tok',
  expiresAt: '2026-11-24T10:00:00Z',
  staff: { id: `stf_${ulid}`, name: '小王', role: 'assistant' },
  merchant: { id: `mch_${ulid}`, name: '示例商户' },
  stores: [{ id: `sto_${ulid}`, code: 'DEMO01', name: '示例门店', address: '人民路 1 号' }],
};

const shopper: ShopperSession = {
  token: 'tok2',
  expiresAt: '2026-11-24T10:00:00Z',
  member: { id: `mbr_${ulid}`, name: null, level: '普通会员', points: 0 },
  merchant: staff.merchant,
  store: staff.stores[0]!,
};

describe('session codec', () => {
  it('round-trips both kinds', () => {
    expect(decodeSession('staff', encodeSession('staff', staff), now)).toEqual(staff);
    expect(decodeSession('shopper', encodeSession('shopper', shopper), now)).toEqual(shopper);
  });

  it('does not read one kind as the other', () => {
    expect(decodeSession('shopper', encodeSession('staff', staff), now)).toBeNull();
    expect(decodeSession('staff', encodeSession('shopper', shopper), now)).toBeNull();
  });

  it('drops a session at or near expiry', () => {
    const expiry = Date.parse(staff.expiresAt);
    expect(decodeSession('staff', encodeSession('staff', staff), expiry - session_expiry_margin_ms - 1)).not.toBeNull();
    expect(decodeSession('staff', encodeSession('staff', staff), expiry - session_expiry_margin_ms)).toBeNull();
    expect(decodeSession('staff', encodeSession('staff', { ...staff, expiresAt: 'soon' }), now)).toBeNull();
  });

  it.each([undefined, '', '{', '{"v":2}', JSON.stringify({ v: 1, session: { token: 'x' } }), 42])('null for %o', (raw) => {
    expect(decodeSession('staff', raw, now)).toBeNull();
  });
});
