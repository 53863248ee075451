import { describe, expect, it } from 'vitest';
import { beijingTimestamp, parseBeijingTimestamp } from '../../api/_platform/alipay-time';

describe('Alipay Beijing-time timestamps', () => {
  it('formats an instant in UTC+8 whatever the process time zone, and parses it back', () => {
    const cases: [string, string][] = [
      ['2026-01-01T00:00:00Z', '2026-01-01 08:00:00'],
      ['2026-12-31T16:00:00Z', '2027-01-01 00:00:00'],
      ['2026-07-15T15:59:59Z', '2026-07-15 23:59:59'],
    ];
    for (const [iso, beijing] of cases) {
      expect(beijingTimestamp(new Date(iso))).toBe(beijing);
      expect(parseBeijingTimestamp(beijing)?.toISOString()).toBe(new Date(iso).toISOString());
    }
  });

  it('rejects other formats', () => {
    for (const text of ['2026-01-01T08:00:00', '2026-01-01 8:00:00', '', '2026-01-01 08:00:00Z']) {
      expect(parseBeijingTimestamp(text)).toBeUndefined();
    }
  });
});
