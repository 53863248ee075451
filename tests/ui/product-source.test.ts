import { describe, expect, it, vi } from 'vitest';
import type { ProductPage, ProductSummary } from '../../shared/api/catalog';
import {
  handoff_products_max,
  productUrl,
  rememberProduct,
  rememberedProduct,
  scanForProduct,
} from '../../src/pages/shop/product/product-source';

const product = (n: number): ProductSummary => ({
  photoUrl: null,
  id: `prd_${String(n).padStart(26, '0')}`,
  name: `商品${n}`,
  categoryId: `cat_${'0'.repeat(26)}`,
  unit: '件',
  priceFen: 100,
  skus: [],
});

describe('product handoff', () => {
  it('keeps the most recent products up to its bound', () => {
    for (let i = 0; i <= handoff_products_max; i++) rememberProduct(product(i));
    expect(rememberedProduct(product(0).id)).toBeNull();
    expect(rememberedProduct(product(handoff_products_max).id)?.name).toBe(`商品${handoff_products_max}`);
  });
});

describe('scanForProduct', () => {
  const pages: ProductPage[] = [
    { items: [product(1), product(2)], nextCursor: 'c1' },
    { items: [product(3)], nextCursor: 'c2' },
    { items: [product(4)], nextCursor: null },
  ];
  const loader = () => vi.fn(async (cursor: string | undefined) => pages[cursor === undefined ? 0 : cursor === 'c1' ? 1 : 2]!);

  it('follows cursors until the product turns up', async () => {
    const load = loader();
    expect((await scanForProduct(product(3).id, load))?.name).toBe('商品3');
    expect(load.mock.calls.map((c) => c[0])).toEqual([undefined, 'c1']);
  });

  it('stops at the last page or at the page bound', async () => {
    const load = loader();
    expect(await scanForProduct('prd_missing', load)).toBeNull();
    expect(load).toHaveBeenCalledTimes(3);
    const bounded = loader();
    expect(await scanForProduct(product(4).id, bounded, 2)).toBeNull();
    expect(bounded).toHaveBeenCalledTimes(2);
  });
});

it('builds the product page link with both parameters', () => {
  expect(productUrl('prd_1', 'DEMO01')).toBe('/pages/shop/product/index?id=prd_1&store=DEMO01');
});
