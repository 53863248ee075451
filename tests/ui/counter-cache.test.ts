import { describe, expect, it } from 'vitest';
import type { ProductSummary } from '../../shared/api/catalog';
import { searchCached } from '../../src/services/counter-cache';

const id = (p: string, n: number) => `${p}_${String(n).padStart(26, '0')}`;
const product = (n: number, name: string, barcode: string): ProductSummary => ({
  id: id('prd', n),
  name,
  photoUrl: null,
  categoryId: id('cat', 1),
  unit: '罐',
  priceFen: 600,
  skus: [{ id: id('sku', n), barcode, spec: {}, retailPriceFen: 600, memberPriceFen: 550, available: 10 }],
});

const cached = [product(1, '王老吉凉茶', '6900000000011'), product(2, '农夫山泉饮用天然水', '6900000000028'), product(3, '红牛维生素功能饮料', '6900000000035')];

describe('offline search over the cached catalog', () => {
  it('finds 王老吉 by pinyin initials and by full pinyin, as the server finds it online', () => {
    expect(searchCached(cached, 'wlj').map((p) => p.name)).toEqual(['王老吉凉茶']);
    expect(searchCached(cached, 'WLJ').map((p) => p.name)).toEqual(['王老吉凉茶']);
    expect(searchCached(cached, 'wanglaoji').map((p) => p.name)).toEqual(['王老吉凉茶']);
    expect(searchCached(cached, 'nfsq').map((p) => p.name)).toEqual(['农夫山泉饮用天然水']);
  });

  it('still finds by name and exact barcode, and finds nothing for what matches nothing', () => {
    expect(searchCached(cached, '红牛').map((p) => p.name)).toEqual(['红牛维生素功能饮料']);
    expect(searchCached(cached, '6900000000028').map((p) => p.name)).toEqual(['农夫山泉饮用天然水']);
    expect(searchCached(cached, 'zzz')).toEqual([]);
    expect(searchCached(cached, '')).toHaveLength(3);
  });
});
