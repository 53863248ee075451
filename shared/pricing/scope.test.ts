import { describe, expect, it } from 'vitest';
import { inCategoryScope, inRuleScope } from './scope.js';

describe('whether a scope covers a line', () => {
  const shirt = { skuId: 'SHIRT', categoryId: 'tops', parentCategoryId: 'clothes' };
  const coat = { skuId: 'COAT', categoryId: 'clothes' };
  const jeans = { skuId: 'JEANS', categoryId: 'trousers', parentCategoryId: 'clothes' };

  it('a listed category covers its own lines and its children’s, never its parent’s or a sibling’s', () => {
    expect(inCategoryScope(shirt, ['clothes'])).toBe(true);
    expect(inCategoryScope(coat, ['clothes'])).toBe(true);
    expect(inCategoryScope(shirt, ['tops'])).toBe(true);
    expect(inCategoryScope(coat, ['tops'])).toBe(false);
    expect(inCategoryScope(jeans, ['tops'])).toBe(false);
    expect(inCategoryScope(shirt, undefined)).toBe(false);
    expect(inCategoryScope({ skuId: 'X', categoryId: null, parentCategoryId: null }, ['clothes'])).toBe(false);
  });

  it('no scope covers every line; a SKU list covers its SKUs whatever their category', () => {
    expect(inRuleScope(undefined, { skuId: 'ANY' })).toBe(true);
    expect(inRuleScope({ skuIds: ['COAT'] }, coat)).toBe(true);
    expect(inRuleScope({ skuIds: ['COAT'] }, shirt)).toBe(false);
    expect(inRuleScope({ skuIds: ['COAT'], categoryIds: ['tops'] }, shirt)).toBe(true);
    expect(inRuleScope({ skuIds: [], categoryIds: [] }, shirt)).toBe(false);
  });
});
