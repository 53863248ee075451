import { describe, expect, it } from 'vitest';
import { specLabel, specMatrix } from '../../shared/spec-matrix';

describe('the spec matrix the 商品 page sends', () => {
  it('crosses the axes in order, one spec per SKU', () => {
    const specs = specMatrix([
      { name: '颜色', values: ['白', '黑'] },
      { name: '尺码', values: ['M', 'L'] },
    ]);
    expect(specs.map(specLabel)).toEqual(['白 / M', '白 / L', '黑 / M', '黑 / L']);
  });

  it('drops blanks, repeats and empty axes; no axis is one plain SKU', () => {
    expect(specMatrix([{ name: '颜色', values: [' 白 ', '', '白'] }, { name: '尺码', values: [] }, { name: ' ', values: ['x'] }])).toEqual([{ 颜色: '白' }]);
    expect(specMatrix([])).toEqual([{}]);
  });
});
