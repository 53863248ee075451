import { describe, expect, it } from 'vitest';
import { routes } from '../../shared/api/routes';
import { buildUrl, encodeQuery, fillPath } from '../../src/services/url';

describe('fillPath', () => {
  it.each([
    ['/api/public/stores/:code', { code: 'DEMO01' }, '/api/public/stores/DEMO01'],
    ['/api/stores/:storeId/barcodes/:barcode', { storeId: 'sto_1', barcode: '690 123/4' }, '/api/stores/sto_1/barcodes/690%20123%2F4'],
    ['/api/health', {}, '/api/health'],
  ])('%s', (template, params, expected) => {
    expect(fillPath(template, params)).toBe(expected);
  });

  it('refuses a missing or empty parameter', () => {
    expect(() => fillPath('/api/public/stores/:code', {})).toThrow(/:code/);
    expect(() => fillPath('/api/public/stores/:code', { code: '' })).toThrow(/:code/);
  });

  it('fills every route in the table', () => {
    for (const route of Object.values(routes)) {
      const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
      const filled = fillPath(route.path, Object.fromEntries(names.map((n) => [n, 'x'])));
      expect(filled).not.toContain(':');
    }
  });
});

describe('encodeQuery', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(encodeQuery({ q: '可乐 330ml', cursor: undefined, limit: 20, categoryId: '', x: null })).toBe('?q=%E5%8F%AF%E4%B9%90%20330ml&limit=20');
  });

  it('is empty for no values', () => {
    expect(encodeQuery({})).toBe('');
    expect(encodeQuery({ a: undefined })).toBe('');
  });
});

describe('buildUrl', () => {
  it('keeps same-origin paths relative when the base is empty', () => {
    expect(buildUrl('', '/api/public/stores/:code/products', { code: 'DEMO01' }, { limit: 20 })).toBe('/api/public/stores/DEMO01/products?limit=20');
  });

  it('joins an absolute base without doubling slashes', () => {
    expect(buildUrl('https://api.example.com/', '/api/me')).toBe('https://api.example.com/api/me');
  });
});
