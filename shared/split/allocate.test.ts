import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../prng.js';
import { allocateSplit, capOf, wechat_split_cap_bp, type Share } from './allocate.js';
import { splitLogCsv } from './csv.js';

const bp = (n: number): Share => ({ kind: 'bp', bp: n });
const fixed = (n: number): Share => ({ kind: 'fixed', fen: n });

describe('allocateSplit, worked by hand', () => {
  const table: { name: string; paid: number; shares: Share[]; parts: number[]; retained: number; clipped?: number[] }[] = [
    { name: 'nothing paid', paid: 0, shares: [bp(1000)], parts: [0], retained: 0 },
    { name: 'one fen, 30 %', paid: 1, shares: [bp(3000)], parts: [0], retained: 1 },
    { name: '¥100 at 10 %', paid: 10000, shares: [bp(1000)], parts: [1000], retained: 9000 },
    // 100 × 1000/10000 = 10 each, exact.
    { name: 'three even', paid: 100, shares: [bp(1000), bp(1000), bp(1000)], parts: [10, 10, 10], retained: 70 },
    // 10 fen × 10 % = 1.0 each → floors 1,1,1; total floor(10×3000/10000)=3.
    { name: 'small even', paid: 10, shares: [bp(1000), bp(1000), bp(1000)], parts: [1, 1, 1], retained: 7 },
    // 7 fen: exact 0.7 each, floors 0; total floor(2.1)=2: first two win the tie.
    { name: 'tie goes to the earlier share', paid: 7, shares: [bp(1000), bp(1000), bp(1000)], parts: [1, 1, 0], retained: 5 },
    // 333 fen: 1500 bp → 49.95, 1000 bp → 33.3, 500 bp → 16.65; total floor(99.9)=99; floors 49+33+16=98; largest remainder .95 → 50.
    { name: 'largest remainder', paid: 333, shares: [bp(1500), bp(1000), bp(500)], parts: [50, 33, 16], retained: 234 },
    // cap of 1000 fen is 300; bp 2000 → 200; fixed 150 gets the 100 left.
    { name: 'fixed cut to the cap', paid: 1000, shares: [bp(2000), fixed(150)], parts: [200, 100], retained: 700, clipped: [1] },
    { name: 'fixed within the cap', paid: 1000, shares: [fixed(50), bp(1000)], parts: [50, 100], retained: 850 },
    { name: 'fixed on a tiny payment', paid: 3, shares: [fixed(500)], parts: [0], retained: 3, clipped: [0] },
    { name: 'exactly at the cap', paid: 9999, shares: [bp(3000)], parts: [2999], retained: 7000 },
  ];
  for (const row of table) {
    it(row.name, () => {
      const a = allocateSplit(row.paid, row.shares);
      expect(a.parts).toEqual(row.parts);
      expect(a.retainedFen).toBe(row.retained);
      expect(a.clipped).toEqual(row.clipped ?? []);
    });
  }

  it('refuses a rule over the cap, a negative share, a fractional amount', () => {
    expect(() => allocateSplit(100, [bp(3001)])).toThrow(/cap/);
    expect(() => allocateSplit(100, [bp(2000), bp(1001)])).toThrow(/cap/);
    expect(() => allocateSplit(100, [fixed(-1)])).toThrow();
    expect(() => allocateSplit(100, [bp(-1)])).toThrow();
    expect(() => allocateSplit(10.5, [bp(1)])).toThrow();
  });

  it('stays exact past 2^53 in the product', () => {
    const paid = 100_000_000_000_00;
    expect(capOf(paid, 3000)).toBe(3_000_000_000_000);
    expect(allocateSplit(paid - 1, [bp(3000)]).parts[0]).toBe(2_999_999_999_999);
  });
});

describe('allocateSplit, random rule sets (seeded)', () => {
  it('parts + retained = paid, the cap holds, no part is negative, bp parts are within one fen of exact', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const rnd = mulberry32(seed);
      const int = (max: number) => Math.floor(rnd() * (max + 1));
      const paid = rnd() < 0.1 ? int(10) : int(rnd() < 0.5 ? 100_000 : 10_000_000_000);
      const count = 1 + int(6);
      let room = wechat_split_cap_bp;
      const shares: Share[] = [];
      for (let i = 0; i < count; i++) {
        if (rnd() < 0.3) shares.push(fixed(int(5000)));
        else {
          const b = int(room);
          room -= b;
          shares.push(bp(b));
        }
      }
      const a = allocateSplit(paid, shares);
      const split = a.parts.reduce((x, y) => x + y, 0);
      const context = JSON.stringify({ seed, paid, shares, a });
      expect(split + a.retainedFen, context).toBe(paid);
      expect(split, context).toBeLessThanOrEqual(Math.floor((paid * wechat_split_cap_bp) / 10000));
      for (const p of a.parts) expect(p, context).toBeGreaterThanOrEqual(0);
      shares.forEach((s, i) => {
        if (s.kind === 'bp') expect(Math.abs(a.parts[i]! - (paid * s.bp) / 10000), context).toBeLessThan(1);
        else expect(a.parts[i]!, context).toBeLessThanOrEqual(s.fen);
      });
    }
  });
});

describe('split log CSV', () => {
  it('has a BOM, Chinese headers, exact yuan and escaped cells', () => {
    const csv = splitLogCsv([{ at: '2026-11-23 10:00:00', paymentId: 'pay_1', event: '分账结果', receiverName: '房东, 王', receiverAccount: '=1+1', amountFen: 1, status: 'SUCCESS', detail: '' }]);
    expect(csv.startsWith('\uFEFF时间,支付单号,事件')).toBe(true);
    expect(csv).toContain(',0.01,');
    expect(csv).toContain('"房东, 王"');
    expect(csv).toContain(",'=1+1,");
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
